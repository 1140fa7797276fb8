"""The hook call policies held by core's facade, seen through real test-only modules:
contributions drop what raises and the page still works; decisions fail closed (deny
overrides allow, no answer denies, raising denies); events fire after commit, in isolation."""

from __future__ import annotations

import importlib
import logging
import uuid

import pytest
from flask import g
from sqlalchemy import select

from openregie_core.accounts import create_user
from openregie_core.hooks.facade import Hooks, new_plugin_manager
from openregie_core.models import User
from openregie_sdk import Actor, ActorKind, authorize, hookimpl
from openregie_sdk.contributions import UserCreated

PASSWORD = "een-lang-wachtwoord-1"


def hook_log(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "openregie.hooks"]


# -- contribution hooks ------------------------------------------------------------------------

WIDGET_HOOKS = """\
from markupsafe import Markup

from openregie_sdk import hookimpl
from openregie_sdk.contributions import DashboardWidget


@hookimpl
def openregie_dashboard_widgets(actor):
    return [DashboardWidget(title="Widget van {pkg}", body=Markup("<p>inhoud {pkg}</p>"))]
"""

RAISING_CONTRIBUTION_HOOKS = """\
from openregie_sdk import hookimpl


@hookimpl
def openregie_dashboard_widgets(actor):
    raise RuntimeError("widget kapot")


@hookimpl
def openregie_nav_items(actor):
    raise RuntimeError("menu kapot")
"""

WRONG_TYPE_HOOKS = """\
from openregie_sdk import hookimpl


@hookimpl
def openregie_dashboard_widgets(actor):
    return ["geen widget"]
"""


class TestContributionHooks:
    @pytest.fixture
    def packages(self, add_module, new_id):
        """module id → package, in load order: good widgets around a raising and a sloppy one."""
        suffix = new_id("x")
        sources = {
            f"a_broken_{suffix}": RAISING_CONTRIBUTION_HOOKS,
            f"b_good_{suffix}": WIDGET_HOOKS,
            f"c_sloppy_{suffix}": WRONG_TYPE_HOOKS,
            f"d_good_{suffix}": WIDGET_HOOKS,
        }
        return {
            module_id: add_module(module_id, hooks=("{pkg}.hooks",), files={"hooks.py": source})
            for module_id, source in sources.items()
        }

    @pytest.fixture
    def openregie_modules(self, packages):
        return list(packages)

    def test_contribution_hook_that_raises_is_dropped_and_logged_and_the_page_renders(
        self, app, client, login_as, packages, caplog
    ):
        broken, good, sloppy, other_good = packages
        login_as("professional")

        with caplog.at_level(logging.ERROR, logger="openregie.hooks"):
            page = client.get("/start")

        assert page.status_code == 200
        html = page.get_data(as_text=True)
        for module_id in (good, other_good):
            assert f"Widget van {packages[module_id]}" in html
            assert f"<p>inhoud {packages[module_id]}</p>" in html
        assert 'href="/start"' in html  # core's own nav item survives the raising one
        messages = [r.getMessage() for r in hook_log(caplog)]
        assert (
            f"hook openregie_dashboard_widgets of module {broken} raised; "
            "its contribution is dropped"
        ) in messages
        assert (
            f"hook openregie_nav_items of module {broken} raised; its contribution is dropped"
        ) in messages
        raised = next(
            r
            for r in hook_log(caplog)
            if r.getMessage().startswith(
                "hook openregie_dashboard_widgets of module " + broken + " raised"
            )
        )
        assert raised.exc_info is not None
        assert str(raised.exc_info[1]) == "widget kapot"
        assert (
            f"hook openregie_dashboard_widgets of module {sloppy} returned 'str', "
            "not a DashboardWidget; dropped"
        ) in messages
        assert not any(good in message or other_good in message for message in messages)

    def test_other_contributions_are_combined_in_load_order(self, app, packages):
        hooks = app.extensions["openregie"].hooks
        actor = Actor(kind=ActorKind.USER, display_name="Test")

        widgets = hooks.dashboard_widgets(actor)

        _, good, _, other_good = packages
        assert [w.title for w in widgets] == [
            f"Widget van {packages[good]}",
            f"Widget van {packages[other_good]}",
        ]


# -- decision hooks ----------------------------------------------------------------------------

GUARDED_VIEWS = """\
from flask import Blueprint

from openregie_sdk import requires

blueprint = Blueprint("{pkg}", __name__)


@blueprint.get("/dossier")
@requires("MODULE_ID.dossier.read")
def dossier():
    return "dossier zichtbaar"


@blueprint.get("/verboden")
@requires("MODULE_ID.vetoed.read")
def vetoed():
    return "verboden zichtbaar"


@blueprint.get("/open")
@requires("MODULE_ID.open.read")
def open_page():
    return "open zichtbaar"


@blueprint.get("/geheim")
@requires("MODULE_ID.secret.read")
def secret():
    return "geheim zichtbaar"
"""

GUARD_HOOKS = """\
from openregie_sdk import hookimpl


@hookimpl
def openregie_authorize(actor, permission, resource):
    if permission == "MODULE_ID.dossier.read":
        raise RuntimeError("beslisser kapot")
    if permission == "MODULE_ID.vetoed.read":
        return False
    return None
"""

ALLOW_EVERYTHING_HOOKS = """\
from openregie_sdk import hookimpl


@hookimpl
def openregie_authorize(actor, permission, resource):
    return True
"""


class TestDecisionHooks:
    """`guard` raises for dossier, says False for vetoed and has no opinion otherwise;
    `eager` allows everything. Professionals hold every permission of `guard` but secret."""

    @pytest.fixture
    def guard(self, add_module, new_id):
        module_id = new_id("guard")
        professional = ("professional",)
        permissions = "".join(
            f"Permission(name='{module_id}.{name}.read', title='{name}', default_roles={roles!r}), "
            for name, roles in (
                ("dossier", professional),
                ("vetoed", professional),
                ("open", professional),
                ("secret", ()),
            )
        )
        add_module(
            module_id,
            hooks=("{pkg}.hooks",),
            raw={
                "permissions": f"({permissions})",
                "blueprints": f"(BlueprintRef(target='{{pkg}}.views:blueprint', "
                f"url_prefix='/{module_id}'),)",
            },
            files={
                "views.py": GUARDED_VIEWS.replace("MODULE_ID", module_id),
                "hooks.py": GUARD_HOOKS.replace("MODULE_ID", module_id),
            },
        )
        return module_id

    @pytest.fixture
    def openregie_modules(self, guard, add_module, new_id):
        eager = new_id("eager")
        add_module(eager, hooks=("{pkg}.hooks",), files={"hooks.py": ALLOW_EVERYTHING_HOOKS})
        return [guard, eager]

    def test_route_without_objection_is_allowed(self, app, client, login_as, guard):
        login_as("professional")
        page = client.get(f"/{guard}/open")
        assert page.status_code == 200
        assert page.get_data(as_text=True) == "open zichtbaar"

    def test_decision_hook_that_raises_denies_and_is_logged(
        self, app, client, login_as, guard, caplog
    ):
        login_as("professional")

        with caplog.at_level(logging.ERROR, logger="openregie.hooks"):
            page = client.get(f"/{guard}/dossier")

        assert page.status_code == 403
        assert "dossier zichtbaar" not in page.get_data(as_text=True)
        messages = [r.getMessage() for r in hook_log(caplog)]
        assert f"decision hook openregie_authorize of module {guard} raised; denying" in messages

    def test_authorize_is_false_when_a_decision_hook_raises(self, app, guard):
        runtime = app.extensions["openregie"]
        with app.test_request_context(f"/{guard}/dossier"):
            g.openregie_actor = runtime.actor_for_roles(
                ActorKind.USER, frozenset({"professional"}), id=uuid.uuid4(), display_name="Test"
            )
            assert g.openregie_actor.holds(f"{guard}.dossier.read")  # the roles would allow
            assert authorize(f"{guard}.dossier.read") is False
            assert authorize(f"{guard}.open.read") is True

    def test_decision_hook_returning_false_denies_although_roles_and_others_allow(
        self, app, client, login_as, guard
    ):
        login_as("professional")
        page = client.get(f"/{guard}/verboden")
        assert page.status_code == 403
        assert "verboden zichtbaar" not in page.get_data(as_text=True)

    def test_permission_no_role_grants_is_denied_although_a_module_allows(
        self, app, client, login_as, guard
    ):
        login_as("professional")
        assert client.get(f"/{guard}/geheim").status_code == 403

    def test_anonymous_visitor_is_sent_to_log_in(self, app, client, guard):
        page = client.get(f"/{guard}/open")
        assert page.status_code == 302
        assert "/auth/login" in page.headers["Location"]


class _Answers:
    """A plugin whose `openregie_authorize` always gives `answer`."""

    def __init__(self, answer: bool | None) -> None:
        self.answer = answer

    @hookimpl
    def openregie_authorize(self, actor, permission, resource):
        return self.answer


def _facade(*answers: object) -> Hooks:
    pm = new_plugin_manager()
    for index, answer in enumerate(answers):
        pm.register(_Answers(answer), name=f"module{index}")
    return Hooks(pm, {f"module{index}": f"module{index}" for index in range(len(answers))})


@pytest.mark.parametrize(
    ("answers", "allowed"),
    [
        pytest.param((), False, id="no-implementation"),
        pytest.param((None,), False, id="no-opinion"),
        pytest.param((None, None), False, id="no-opinions"),
        pytest.param((None, True), True, id="one-allow"),
        pytest.param((True, False), False, id="deny-after-allow"),
        pytest.param((False, True), False, id="deny-before-allow"),
        pytest.param((True, "yes"), False, id="a-non-boolean-answer-denies"),
    ],
)
def test_decision_needs_an_allow_and_no_deny(answers, allowed):
    actor = Actor(kind=ActorKind.USER, permissions=frozenset({"demo.thing.read"}))
    assert _facade(*answers).authorize(actor, "demo.thing.read", None) is allowed


# -- event hooks -------------------------------------------------------------------------------

# Each records the event in its own CALLS and appends its package to a shared journal file,
# so a test sees both what each implementation got and the order they ran in.
RECORDING_EVENT_HOOKS = """\
from openregie_sdk import hookimpl

CALLS = []


@hookimpl
def openregie_user_created(event):
    CALLS.append(event.username)
    with open(JOURNAL, "a") as journal:
        journal.write("{pkg}\\n")
"""

RAISING_EVENT_HOOKS = (
    RECORDING_EVENT_HOOKS
    + """\
    raise RuntimeError("gebeurtenis kapot")
"""
)


class TestEventHooks:
    @pytest.fixture
    def journal(self, tmp_path):
        return tmp_path / "events.journal"

    @pytest.fixture
    def packages(self, add_module, new_id, journal):
        """module id → package: a raising listener loaded before a recording one."""
        suffix = new_id("x")
        sources = {
            f"a_boom_{suffix}": RAISING_EVENT_HOOKS,
            f"b_listener_{suffix}": RECORDING_EVENT_HOOKS,
        }
        return {
            module_id: add_module(
                module_id,
                hooks=("{pkg}.hooks",),
                files={"hooks.py": source.replace("JOURNAL", repr(str(journal)))},
            )
            for module_id, source in sources.items()
        }

    @pytest.fixture
    def openregie_modules(self, packages):
        return list(packages)

    @staticmethod
    def calls(packages, module_id):
        return importlib.import_module(packages[module_id] + ".hooks").CALLS

    @staticmethod
    def user_named(app, username):
        with app.extensions["openregie"].session_factory() as session:
            return session.scalar(select(User).where(User.username == username))

    def test_event_hook_fires_after_commit_once_events_are_dispatched(self, app, packages):
        boom, listener = packages
        runtime = app.extensions["openregie"]
        assert runtime.modules.loaded_ids == [boom, listener]

        with app.app_context():
            session = runtime.session()
            create_user(
                session,
                runtime.hooks,
                username="j.jansen",
                display_name="J. Jansen",
                kind="professional",
                password=PASSWORD,
            )
            assert self.calls(packages, listener) == []  # committed, not yet dispatched
            runtime.close_cli_session()

        assert self.calls(packages, listener) == ["j.jansen"]

    def test_event_hook_does_not_fire_when_the_transaction_rolls_back(self, app, packages):
        boom, listener = packages
        runtime = app.extensions["openregie"]

        with app.app_context():
            session = runtime.session()
            user = User(
                username="teruggedraaid",
                display_name="Terug",
                kind="professional",
                password_hash="x",
            )
            session.add(user)
            session.flush()
            runtime.hooks.user_created(
                session, UserCreated(user_id=user.id, username=user.username, kind=user.kind)
            )
            session.rollback()
            session.commit()  # a later commit must not revive the dropped event
            runtime.close_cli_session()

        assert self.calls(packages, listener) == []
        assert self.calls(packages, boom) == []
        assert self.user_named(app, "teruggedraaid") is None

    def test_event_hook_that_raises_neither_undoes_the_commit_nor_stops_the_others(
        self, app, packages, journal, caplog
    ):
        boom, listener = packages
        runtime = app.extensions["openregie"]

        with caplog.at_level(logging.ERROR, logger="openregie.hooks"), app.app_context():
            create_user(
                runtime.session(),
                runtime.hooks,
                username="k.de-vries",
                display_name="K. de Vries",
                kind="professional",
                password=PASSWORD,
            )
            runtime.close_cli_session()

        assert self.calls(packages, boom) == ["k.de-vries"]
        assert self.calls(packages, listener) == ["k.de-vries"]
        # in load order: the raising one ran first and did not stop the listener after it
        assert journal.read_text().splitlines() == [packages[boom], packages[listener]]
        assert self.user_named(app, "k.de-vries") is not None
        messages = [r.getMessage() for r in hook_log(caplog)]
        assert (
            f"hook openregie_user_created of module {boom} raised; its contribution is dropped"
        ) in messages
