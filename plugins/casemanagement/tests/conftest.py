import pytest


@pytest.fixture
def openregie_modules() -> list[str]:
    return ["casemanagement"]
