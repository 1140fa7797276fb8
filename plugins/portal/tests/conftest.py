"""The portal's tests run with the portal and a provider of the casemanagement capability."""

import pytest


@pytest.fixture
def openregie_modules() -> list[str]:
    return ["portal", "casemanagement"]
