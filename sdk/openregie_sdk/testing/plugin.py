"""The pytest plugin of the OpenRegie test kit (entry point `pytest11: openregie`)."""

from __future__ import annotations

import datetime as dt
import gc
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
        runtime = app.extensions["openregie"]
        with app.app_context():  # a session code under test opened outside a request
            runtime.close_cli_session(failed=True)
    engines = [app.extensions["openregie"].engine for app in built]
    if any(engine.pool.checkedout() for engine in engines):
        # A connection still out belongs to an object the test dropped without closing:
        # collect it now, at a safe point, while its database exists (see
        # TestDatabases.drop).
        gc.collect()
    for engine in engines:
        engine.dispose()
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
        session = runtime.session()
        try:
            yield session
        finally:
            runtime.close_cli_session()
            session.close()  # a command the test ran may have ended it as its own already


def csrf_token_in(html: str) -> str:
    """The CSRF token of the first form on a rendered page (for POSTs in tests)."""
    import re

    found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    if found is None:
        raise AssertionError("the page holds no form with a CSRF token")
    return found.group(1)


_HASH_CACHE: dict[str, str] = {}


def create_test_user(
    app: Any,
    kind: str = "professional",
    username: str | None = None,
    *,
    enrolled: bool = True,
    **fields: Any,
) -> Any:
    """Create a user of `kind` (password `TEST_PASSWORD`) in `app`'s database; returns it.
    With `enrolled` the user has a confirmed second factor (a random TOTP secret; get a
    code with `totp_code_for`), without it the first login starts with enrolment.
    `roles=[(role, municipality id or None)]` overrides the default: the role named after
    the kind, installation-wide — for every kind, unlike core's `create_user`, which gives
    professionals and team leads none (their grants come from team memberships); pass
    `roles=[]` and add a membership for a professional as the product makes them."""
    from openregie_core.accounts import assign_roles
    from openregie_core.auth.passwords import hash_password
    from openregie_core.auth.totp import new_secret
    from openregie_core.models import User

    if "hash" not in _HASH_CACHE:
        _HASH_CACHE["hash"] = hash_password(TEST_PASSWORD)
    runtime = app.extensions["openregie"]
    roles = fields.pop("roles", [(kind, None)])
    if enrolled:
        fields.setdefault("totp_secret", new_secret())
        fields.setdefault("totp_confirmed_at", dt.datetime.now(dt.UTC))
    fields.setdefault("session_version", 1)
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
    return user


def totp_code_for(app: Any, user: Any) -> str:
    """A second-factor code `app` accepts from `user` now: the current one, or the next
    one (the window allows it) when the current one was used already. Raises when both
    were used; wait for the next 30-second step then."""
    from openregie_core.auth.totp import WINDOW, code_at, current_step
    from openregie_core.models import User

    with app.extensions["openregie"].session_factory() as session:
        stored = session.get(User, user.id)
        secret, last = stored.totp_secret, stored.totp_last_step
    if not secret:
        raise ValueError(f"{user.username} has no second factor")
    now = current_step()
    for step in range(now, now + WINDOW + 1):
        if last is None or step > last:
            return code_at(secret, step)
    raise RuntimeError("every code of the window was used; wait for the next time step")


def log_in(
    app: Any, client: Any, kind: str = "professional", username: str | None = None, **fields: Any
) -> Any:
    """Create a user of `kind` with `create_test_user` and log `client` in as them, second
    factor done (the session holds the user and their current session version); returns
    the user. The `login_as` fixture is this, bound."""
    user = create_test_user(app, kind, username, **fields)
    with client.session_transaction() as cookie:
        cookie.clear()
        cookie.permanent = True
        cookie["user_id"] = str(user.id)
        cookie["session_version"] = user.session_version
        cookie["seen"] = dt.datetime.now(dt.UTC).timestamp()
    return user


@pytest.fixture
def login_as(app: Any, client: Any) -> Callable[..., Any]:
    """`login_as(kind="professional", username=None, **fields)` logs the `client` in as a
    new user of that kind; returns the user."""
    return lambda kind="professional", username=None, **fields: log_in(
        app, client, kind, username, **fields
    )


@pytest.fixture
def make_user(app: Any) -> Callable[..., Any]:
    """`make_user(kind="professional", username=None, *, enrolled=True, **fields)` creates
    a user (password `TEST_PASSWORD`) without logging anyone in, for testing login flows."""
    return lambda kind="professional", username=None, **fields: create_test_user(
        app, kind, username, **fields
    )


@pytest.fixture
def totp_code(app: Any) -> Callable[[Any], str]:
    """`totp_code(user)`: a second-factor code the app accepts from `user` right now."""
    return lambda user: totp_code_for(app, user)


@pytest.fixture
def module_distributions(tmp_path: Path) -> Iterator[ModuleDistributions]:
    """Write real tiny module distributions onto sys.path for this test."""
    distributions = ModuleDistributions(tmp_path / "site")
    yield distributions
    distributions.cleanup()


@pytest.fixture
def actor_of(app: Any, db: Any) -> Callable[[Any], Any]:
    """`actor_of(user)`: the `Actor` core resolves for an existing user (grants from role
    assignments and current team memberships), for testing services without a request."""
    return lambda user: app.extensions["openregie"].actor_for_user(user)


def personal_token(
    app: Any, user: Any, scopes: Any, *, name: str = "test", days: int = 1
) -> dict[str, str]:
    """The `Authorization` header of a new personal API token of `user` (acting as them,
    narrowed to `scopes`, valid for `days`), for testing a module's API."""
    from openregie_core.auth.tokens import create_client

    scopes = list(scopes)
    with app.extensions["openregie"].session_factory() as session:
        _client, token = create_client(
            session,
            name=f"{name} {uuid.uuid4().hex[:6]}",
            scopes=scopes,
            known_permissions=scopes,
            user_id=user.id,
            expires_at=dt.datetime.now(dt.UTC) + dt.timedelta(days=days),
        )
    return {"Authorization": f"Bearer {token}"}


def seed_demo(app: Any, seed: int = 262) -> list[str]:
    """Run `openregie demo` (core's region, then every loaded module's demo data) on `app`'s
    database; returns the problems it reported ([] when all went well)."""
    from openregie_core.demo import seed as seed_region

    return seed_region(app.extensions["openregie"], seed, lambda message: None)
