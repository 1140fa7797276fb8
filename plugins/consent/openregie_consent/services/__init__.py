"""The consent module's domain services: who may speak for a subject (`authority`), the
append-only history (`records`), the SQL predicates enforcement uses (`predicates`),
overrides (`overrides`) and the expiry run (`expiry`). Errors are the capability's
`Refused` and `NotFound`, each naming the field."""
