"""The module contract test, run by the portal module against itself."""

from openregie_sdk.testing.contract import ModuleContract


class TestPortalContract(ModuleContract):
    module_id = "portal"
    with_modules = ("casemanagement",)
