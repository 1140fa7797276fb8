"""A test-only module that implements every hook and raises on demand (fault injection).

It exists only in OpenRegie's tests: `tests/test_faults.py` installs it as a real module
distribution (through `openregie_sdk.testing.distributions`), twice under two module ids,
`defect` (whose hooks the tests arm to raise) and `getuige` (the witness: the same
contributions, never armed), so a test sees both that the raising module's contribution
is gone and that the other module's is still there. Inside the package imports are
relative: the test distribution gives the package a generated name.

- `hooks.py`: one implementation of every hook spec; each contributes something that names
  its module, or raises `RuntimeError` when its hook name is in `ARMED`.
- `views.py`: `POST /api/v1/<id>/traag`, a write that stays in flight (its transaction
  open) until the process is killed, for the crash test.
"""
