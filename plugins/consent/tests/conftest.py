"""The consent module's tests run with the consent module alone."""

import pytest


@pytest.fixture
def openregie_modules() -> list[str]:
    return ["consent"]
