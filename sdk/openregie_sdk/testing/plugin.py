"""The pytest plugin of the OpenRegie test kit (entry point `pytest11: openregie`)."""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from openregie_sdk.testing.databases import TestDatabases
from openregie_sdk.testing.distributions import ModuleDistributions

TEST_SECRET_KEY = "openregie-test-secret-key-not-for-production-use"  # noqa: S105
TEST_PASSWORD = "test-wachtwoord-123"  # noqa: S105


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "openregie_modules(*ids): build the `app` fixture with exactly these modules enabled",
    )


@pytest.fixture(scope="session")
def openregie_databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestDatabases]:
    databases = TestDatabases(
        os.environ.get("OPENREGIE_TEST_DATABASE_URL") or None,
        tmp_path_factory.mktemp("openregie-databases"),
    )
    yield databases
    databases.drop_all()


@pytest.fixture
def openregie_modules() -> list[str] | None:
    """The modules the `app` fixture enables; None means the installation default.
    Override this fixture in a conftest, or use the `openregie_modules` marker."""
    return None


def _settings(instance: Path, url: str, modules: list[str] | None, extra: dict[str, Any]) -> Any:
    from openregie_core.config import load_settings

    values: dict[str, Any] = {
        "instance_path": instance,
        "database_url": url,
        "mode": "test",
        "secret_key": TEST_SECRET_KEY,
        "strict_modules": True,
        "safe_mode": False,
        "disable_modules": [],
        "modules": modules,
        "module_config": {},
    }
    values.update(extra)
    return load_settings(**values)


def _entry_points() -> str:
    """What is installed right now, so a cached migrated database is reused only for the
    very same module distributions (tests write their own)."""
    from importlib_metadata import entry_points

    from openregie_sdk.manifest import ENTRY_POINT_GROUP

    return repr(sorted((ep.name, ep.value) for ep in entry_points(group=ENTRY_POINT_GROUP)))


def migrate_database(settings: Any) -> None:
    """Run the real `openregie db upgrade` for core and every module `settings` loads."""
    from openregie_core.app import create_app
    from openregie_core.upgrade import upgrade_installation

    app = create_app(settings)
    try:
        upgrade_installation(app)
    finally:
        app.extensions["openregie"].engine.dispose()


@pytest.fixture
def make_app(openregie_databases: TestDatabases, tmp_path: Path) -> Iterator[Callable[..., Any]]:
    """`make_app(modules=None, *, migrate=True, database_url=None, **settings)` builds an
    application; `modules` lists the enabled module ids (None: installation default).
    With `migrate` the database holds the migrated schema of those modules; pass
    `database_url` to reuse a database (e.g. to restart on the same data)."""
    from openregie_core.app import create_app

    built: list[Any] = []
    owned: list[str] = []

    def factory(
        modules: list[str] | tuple[str, ...] | None = None,
        *,
        migrate: bool = True,
        database_url: str | None = None,
        **settings: Any,
    ) -> Any:
        module_list = list(modules) if modules is not None else None
        instance = tmp_path / f"instance-{uuid.uuid4().hex[:6]}"
        if database_url is None:
            if migrate:
                key = (repr(module_list), repr(sorted(settings.items())), _entry_points())
                database_url = openregie_databases.migrated(
                    key,
                    lambda url: migrate_database(
                        _settings(instance, url, module_list, {**settings, "strict_modules": False})
                    ),
                )
            else:
                database_url = openregie_databases.new_empty()
            owned.append(database_url)
        app = create_app(_settings(instance, database_url, module_list, settings))
        app.config["TESTING"] = True
        built.append(app)
        return app

    yield factory
    for app in built:
        app.extensions["openregie"].engine.dispose()
    for url in owned:
        openregie_databases.drop(url)


@pytest.fixture
def app(
    make_app: Callable[..., Any],
    request: pytest.FixtureRequest,
    openregie_modules: list[str] | None,
) -> Any:
    marker = request.node.get_closest_marker("openregie_modules")
    return make_app(list(marker.args) if marker else openregie_modules)


@pytest.fixture
def client(app: Any) -> Any:
    return app.test_client()


@pytest.fixture
def db(app: Any) -> Iterator[Any]:
    """The application's database session inside an application context."""
    runtime = app.extensions["openregie"]
    with app.app_context():
        yield runtime.session()
        runtime.close_cli_session()


_HASH_CACHE: dict[str, str] = {}


def log_in(
    app: Any, client: Any, kind: str = "professional", username: str | None = None, **fields: Any
) -> Any:
    """Create a user of `kind` (password `TEST_PASSWORD`) in `app`'s database and log
    `client` in as them; returns the user. `roles=[(role, municipality id or None)]`
    overrides the default: the role named after the kind, installation-wide. The
    `login_as` fixture is this, bound."""
    from openregie_core.accounts import assign_roles
    from openregie_core.auth.passwords import hash_password
    from openregie_core.models import User

    if "hash" not in _HASH_CACHE:
        _HASH_CACHE["hash"] = hash_password(TEST_PASSWORD)
    runtime = app.extensions["openregie"]
    roles = fields.pop("roles", [(kind, None)])
    with runtime.session_factory() as session:
        user = User(
            id=uuid.uuid4(),
            username=username or f"{kind}-{uuid.uuid4().hex[:6]}",
            display_name=fields.pop("display_name", f"Test {kind}"),
            kind=kind,
            password_hash=_HASH_CACHE["hash"],
            **fields,
        )
        session.add(user)
        session.flush()
        assign_roles(session, user, roles)
        session.commit()
    with client.session_transaction() as cookie:
        cookie.permanent = True
        cookie["user_id"] = str(user.id)
        cookie["seen"] = dt.datetime.now(dt.UTC).timestamp()
    return user


@pytest.fixture
def login_as(app: Any, client: Any) -> Callable[..., Any]:
    """`login_as(kind="professional", username=None)` logs the `client` in as a new user
    of that kind; returns the user."""
    return lambda kind="professional", username=None, **fields: log_in(
        app, client, kind, username, **fields
    )


@pytest.fixture
def module_distributions(tmp_path: Path) -> Iterator[ModuleDistributions]:
    """Write real tiny module distributions onto sys.path for this test."""
    distributions = ModuleDistributions(tmp_path / "site")
    yield distributions
    distributions.cleanup()
