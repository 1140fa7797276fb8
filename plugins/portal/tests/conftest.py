"""The portal's tests run with the portal and a provider of the casemanagement capability:
OpenRegie's own module by default; tests using `world` run against it AND against a
deliberately different in-memory provider (`fakecases_provider.py`), since the portal
must work against any provider."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from openregie_sdk import capability
from openregie_sdk.testing.distributions import ModuleDistributions


def _load_worlds() -> Any:
    """`portal_worlds.py` beside this file (pytest runs with --import-mode=importlib, so
    test folders are not on sys.path)."""
    name = "openregie_portal_test_worlds"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(
            name, Path(__file__).with_name("portal_worlds.py")
        )
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


worlds = _load_worlds()
FAKE_MANIFEST = """
from openregie_sdk import ModuleManifest

MANIFEST = ModuleManifest(
    id="fakecases",
    title="Fake case management",
    description="An in-memory casemanagement provider for the portal's tests.",
    publisher="tests",
    sdk=">=1.0,<2",
    provides={"casemanagement": "1.1"},
    capability_providers={"casemanagement": "{pkg}.provider:provider"},
)
"""


@pytest.fixture
def openregie_modules() -> list[str]:
    return ["portal", "casemanagement"]


@pytest.fixture
def provider_kind() -> str:
    """Which casemanagement provider the `app` runs: "ours" or "fake". Test modules run on
    both with `pytestmark = pytest.mark.parametrize("provider_kind", ["ours", "fake"])`."""
    return "ours"


@pytest.fixture(scope="session")
def fake_distribution(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The fake provider as a real installed distribution, once per test session (so the
    migrated test database is built once and reused)."""
    distributions = ModuleDistributions(tmp_path_factory.mktemp("portal-fake") / "site")
    package = distributions.add(
        "fakecases", FAKE_MANIFEST, {"provider.py": worlds.FAKE_PROVIDER_SOURCE}
    )
    yield package
    distributions.cleanup()


@pytest.fixture
def app(make_app: Any, provider_kind: str, request: pytest.FixtureRequest) -> Any:
    if provider_kind == "fake":
        request.getfixturevalue("fake_distribution")
        return make_app(["portal", "fakecases"])
    marker = request.node.get_closest_marker("openregie_modules")
    return make_app(list(marker.args) if marker else ["portal", "casemanagement"])


@pytest.fixture
def world(app: Any, db: Any, provider_kind: str) -> Any:
    if provider_kind == "fake":
        return worlds.build_fake(app, db, capability("casemanagement"))
    return worlds.build_ours(app, db)
