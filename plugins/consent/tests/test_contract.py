"""The module contract test, run by the consent module against itself."""

from openregie_sdk.testing.contract import ModuleContract


class TestConsentContract(ModuleContract):
    module_id = "consent"
