"""The module contract test, run by the reporting module against itself."""

from openregie_sdk.testing.contract import ModuleContract


class TestReportingContract(ModuleContract):
    module_id = "reporting"
