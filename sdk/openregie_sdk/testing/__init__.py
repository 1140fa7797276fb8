"""The OpenRegie test kit for module authors (a pytest plugin, registered as `openregie`).

Fixtures: `app` (exactly the modules your tests name, on a database built by running the
real migrations), `client`, `login_as` (logged in, second factor done), `make_user` and
`totp_code` (for testing login flows), `make_app`, `module_distributions`. Name the
modules with `@pytest.mark.openregie_modules("mymodule")` or by overriding the
`openregie_modules` fixture. Subclass `openregie_sdk.testing.contract.ModuleContract` for the
module contract test, and use `openregie_sdk.testing.statements.Statements` to count the
SQL a page or method sends (no N+1). Set `OPENREGIE_TEST_DATABASE_URL` (a PostgreSQL server
URL) to run on PostgreSQL; each test run creates its own databases and drops them.

This subpackage, and only this one, may import core: it builds a real application.
"""
