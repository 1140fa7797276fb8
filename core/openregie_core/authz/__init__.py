"""Authorisation: roles and their seeding, the grants of an actor, and the one person
visibility predicate that detail, list, search and export all use."""
