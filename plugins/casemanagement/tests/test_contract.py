"""The module contract test, run by the case-management module against itself."""

from openregie_sdk.testing.contract import ModuleContract


class TestCaseManagementContract(ModuleContract):
    module_id = "casemanagement"
