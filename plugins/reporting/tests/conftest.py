"""The reporting module's tests run with the reporting module alone unless a test says so."""

import pytest


@pytest.fixture
def openregie_modules() -> list[str]:
    return ["reporting"]
