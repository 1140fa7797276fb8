"""The module contract test of the OpenRegie SDK, run by the module against itself:
manifest, hooks, tables, migrations up/down/up without drift, settings, permissions."""

from openregie_sdk.testing.contract import ModuleContract


class TestContract(ModuleContract):
    module_id = "wachttijden"
    with_modules = ()  # it requires no capability
