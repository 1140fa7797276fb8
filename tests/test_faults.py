"""Faults and concurrency (issue 10): what a failure of one part does to the rest.

1. A module whose hook raises, for every hook spec of the SDK (parametrised over the
   hookspecs module, so a new hook fails here until it has a scenario): the host keeps
   serving the pages and commands that call the hook, the other modules' contributions
   still appear, the error is logged with the module id, a raising decision hook denies,
   and a raising event hook never undoes the transaction that fired it. The faulty module
   (`tests/faults/faulty/`) is installed twice: `defect`, whose hooks the tests arm, and
   `getuige` (the witness), the same code never armed. Each scenario first shows both
   contributions unarmed, so the test sees the raising one disappear rather than never
   having been there.
2. A database error in the middle of a write request rolls the whole request back: nothing
   of it is in the database, the answer is a clean error (500: the database failing is a
   server fault), its audit records say "error", and the next request works.
3. Two truly simultaneous updates of one plan goal (or action) with the same version, on
   two threads that meet after both passed the version check: exactly one wins, the other
   gets 409, and nothing is lost.
4. A server process killed with SIGKILL while a write is in flight loses nothing that was
   committed, and the audit chain still verifies.
"""

from __future__ import annotations

import datetime as dt
import http.client
import importlib
import inspect
import json
import logging
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import event, func, select, text
from sqlalchemy.engine import make_url

from openregie_casemanagement.models import Action, Case, CasePerson, Goal, Plan
from openregie_casemanagement.services import allocations
from openregie_core.cli import main
from openregie_core.models import User
from openregie_sdk import hookspecs
from openregie_sdk.hookspecs import HookKind
from openregie_sdk.registry import (
    Household,
    HouseholdMember,
    Membership,
    Municipality,
    Organisation,
    Person,
    Team,
)
from openregie_sdk.testing.distributions import ModuleDistributions
from openregie_sdk.testing.plugin import (
    TEST_SECRET_KEY,
    create_test_user,
    csrf_token_in,
    personal_token,
)

FAULTY = Path(__file__).parent / "faults" / "faulty"
RAISER, WITNESS = "defect", "getuige"
MODULES = ["casemanagement", "portal", "reporting", RAISER, WITNESS]
BSN_ANNA = "123456782"
PORTAL_CALLBACK = "http://localhost/mijn/inloggen/mock_digid/terug"
# Variables of the developer's or CI's environment that would change what a command sees.
ISOLATE = (
    "OPENREGIE_MODULES",
    "OPENREGIE_DISABLE_MODULES",
    "OPENREGIE_SAFE_MODE",
    "OPENREGIE_STRICT_MODULES",
    "OPENREGIE_CONFIG_FILE",
    "OPENREGIE_SECRET_KEY",
)


def _hook_kinds() -> dict[str, HookKind]:
    """Every hook spec of the SDK → its class."""
    kinds = {}
    for name, function in inspect.getmembers(hookspecs, inspect.isfunction):
        if getattr(function, f"{hookspecs.PROJECT}_spec", None) is not None:
            kinds[name] = function.openregie_kind
    return kinds


HOOK_KINDS = _hook_kinds()


def _hooks_of(kind: HookKind) -> list[str]:
    return sorted(name for name, found in HOOK_KINDS.items() if found is kind)


# -- the faulty module, installed as a real distribution ----------------------------------------


@pytest.fixture(scope="module")
def faulty(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimpleNamespace]:
    """`defect` and `getuige` installed (once for this file, so each module set's migrated
    database is built once): `site` (the folder on sys.path) and `hooks` (module id → its
    loaded hooks module, whose `ARMED` and `EVENTS` the tests use)."""
    distributions = ModuleDistributions(tmp_path_factory.mktemp("faults") / "site")
    manifest = (FAULTY / "module.py").read_text("utf-8")
    files = {
        path.name: path.read_text("utf-8")
        for path in sorted(FAULTY.glob("*.py"))
        if path.name != "module.py"
    }
    hooks: dict[str, ModuleType] = {}
    for module_id in (RAISER, WITNESS):
        source = manifest.replace('MODULE_ID = "faulty"', f'MODULE_ID = "{module_id}"')
        assert source != manifest
        package = distributions.add(module_id, source, files)
        hooks[module_id] = importlib.import_module(f"{package}.hooks")
    yield SimpleNamespace(site=distributions.root, hooks=hooks)
    distributions.cleanup()


@pytest.fixture(autouse=True)
def _disarmed(faulty: SimpleNamespace) -> Iterator[None]:
    for module in faulty.hooks.values():
        module.ARMED.clear()
        module.EVENTS.clear()
    yield
    for module in faulty.hooks.values():
        module.ARMED.clear()
        module.EVENTS.clear()


def act_as(client: Any, user: Any) -> None:
    """Log `client` in as an existing user (second factor done)."""
    with client.session_transaction() as cookie:
        cookie.clear()
        cookie.permanent = True
        cookie["user_id"] = str(user.id)
        cookie["session_version"] = user.session_version
        cookie["seen"] = dt.datetime.now(dt.UTC).timestamp()


def resident_login(client: Any, bsn: str) -> None:
    """Log `client` in to the portal through its mock DigiD page as the person with `bsn`."""
    page = client.get("/mijn/inloggen").get_data(as_text=True)
    started = client.post("/mijn/inloggen/mock_digid", data={"csrf_token": csrf_token_in(page)})
    assert started.status_code == 303
    form = client.get(started.headers["Location"]).get_data(as_text=True)
    sent = client.post(
        "/mijn/testinlog",
        data={"csrf_token": csrf_token_in(form), "bsn": bsn, "callback": PORTAL_CALLBACK},
    )
    assert sent.status_code == 303, sent.get_data(as_text=True)
    assert client.get(sent.headers["Location"]).status_code == 303


def run_cli(app: Any, tmp_path: Path, *args: str) -> Any:
    """`openregie ...` in test mode against `app`'s database, isolated from the environment."""
    env: dict[str, str | None] = dict.fromkeys(ISOLATE)
    env.update(
        OPENREGIE_DATABASE_URL=database_url(app),
        OPENREGIE_INSTANCE_PATH=str(tmp_path / "cli-instance"),
        OPENREGIE_MODE="test",
        OPENREGIE_MODULES=",".join(MODULES),
    )
    return CliRunner().invoke(main, list(args), env=env)


def database_url(app: Any) -> str:
    return app.extensions["openregie"].engine.url.render_as_string(hide_password=False)


# -- a small region ------------------------------------------------------------------------------


@dataclass
class World:
    """Team Noord with case manager Mira; household Jansen (Anna, with a BSN, and Tim) with
    a case of Noord and an allocation for Tim; two persons only a relation of `defect` or
    `getuige` makes visible; a person no one relates to, with an e-mail address; a
    functional admin and a policy officer."""

    team: Any
    household: Any
    anna: Any
    tim: Any
    case: Any
    allocation: Any
    manager: Any
    loner: Any
    admin: Any
    policy: Any


def _person(db: Any, first: str, last: str, born: dt.date, municipality: Any, **fields: Any) -> Any:
    person = Person(
        voornamen=first,
        geslachtsnaam=last,
        search_name=last.lower(),
        birth_date=born,
        municipality_id=municipality.id,
        **fields,
    )
    db.add(person)
    return person


def build_world(app: Any) -> World:
    runtime = app.extensions["openregie"]
    manager = create_test_user(app, "professional", roles=[], display_name="Mira Manager")
    with app.app_context():
        db = runtime.session()
        try:
            zutphen = Municipality(cbs_code="GM0301", name="Zutphen")
            team = Team(name="Noord", kind="integral")
            household = Household(name="Gezin Jansen")
            db.add_all([zutphen, team, household])
            db.flush()
            anna = _person(db, "Anna", "Jansen", dt.date(1985, 3, 1), zutphen, bsn=BSN_ANNA)
            tim = _person(db, "Tim", "Jansen", dt.date(2014, 6, 1), zutphen)
            for module_id in (RAISER, WITNESS):
                _person(db, "Test", f"Zichtbaar-{module_id}", dt.date(1990, 1, 1), zutphen)
            loner = _person(
                db, "Lot", "Alleen", dt.date(1970, 1, 1), zutphen, email="lot@example.org"
            )
            db.flush()
            db.add_all(
                HouseholdMember(
                    household_id=household.id, person_id=p.id, role=role, start_on=p.birth_date
                )
                for p, role in ((anna, "parent"), (tim, "child"))
            )
            db.add(
                Membership(
                    user_id=manager.id,
                    team_id=team.id,
                    role="professional",
                    start_on=dt.date(2020, 1, 1),
                )
            )
            case = Case(
                household_id=household.id,
                team_id=team.id,
                case_manager_id=manager.id,
                title="Schulden en wonen",
                status="uitvoering",
                opened_on=dt.date.today() - dt.timedelta(days=30),
            )
            db.add(case)
            db.flush()
            db.add_all(CasePerson(case_id=case.id, person_id=p.id) for p in (anna, tim))
            db.commit()
            allocation = allocations.create_allocation(
                runtime.actor_for_user(manager),
                case.id,
                person_id=tim.id,
                law="jeugdwet",
                product_category="jeugdhulp_ambulant",
                product_code="45A48",
                provider_name="Stichting Jeugdhulp Oost-Gelderland",
                volume="4",
                unit="hour",
                frequency="week",
                requested_on=dt.date.today() - dt.timedelta(days=7),
            )
            db.commit()
        finally:
            runtime.close_cli_session()
    return World(
        team=team,
        household=household,
        anna=anna,
        tim=tim,
        case=case,
        allocation=allocation,
        manager=manager,
        loner=loner,
        admin=create_test_user(app, "functional_admin"),
        policy=create_test_user(app, "policy_officer"),
    )


class Faults:
    """What a scenario works with: the app (built on first use), the world in it, the
    faulty modules' hooks and the log."""

    def __init__(self, make_app: Callable[..., Any], faulty: Any, caplog: Any, tmp_path: Path):
        self.make_app = make_app
        self.faulty = faulty
        self.caplog = caplog
        self.tmp_path = tmp_path

    @cached_property
    def app(self) -> Any:
        return self.make_app(MODULES)

    @cached_property
    def world(self) -> World:
        return build_world(self.app)

    def client_as(self, user: Any) -> Any:
        client = self.app.test_client()
        act_as(client, user)
        return client

    def arm(self, hook: str) -> None:
        self.faulty.hooks[RAISER].ARMED.add(hook)

    def logged(self) -> list[str]:
        """The messages of core's hook facade logged so far."""
        return [r.getMessage() for r in self.caplog.records if r.name == "openregie.hooks"]

    def row_count(self, model: Any, *criteria: Any) -> int:
        with self.app.extensions["openregie"].session_factory() as session:
            return session.scalar(select(func.count()).select_from(model).where(*criteria))


def dropped(hook: str, module_id: str = RAISER) -> str:
    return f"hook {hook} of module {module_id} raised; its contribution is dropped"


# -- contribution hooks: a page showing each module's contribution -------------------------------


def _page_shows_the_others(
    faults: Faults,
    hook: str,
    get: Callable[[], Any],
    marker: Callable[[str], str],
) -> None:
    """Unarmed, the page shows both modules' contributions; with `defect`'s hook raising it
    still answers 200, without `defect`'s contribution, with the witness's, and the error
    is logged with the module id."""
    before = get()
    html = before.get_data(as_text=True)
    assert before.status_code == 200, html
    assert marker(RAISER) in html and marker(WITNESS) in html

    faults.arm(hook)
    after = get()

    html = after.get_data(as_text=True)
    assert after.status_code == 200, html
    assert marker(RAISER) not in html
    assert marker(WITNESS) in html
    assert dropped(hook) in faults.logged()
    assert not any(WITNESS in message for message in faults.logged())


def staff_page(path: Callable[[World], str], marker: str) -> Callable[[Faults, str], None]:
    """The scenario of a page the case manager sees, showing `marker.format(module id)`
    for each module's contribution."""

    def scenario(faults: Faults, hook: str) -> None:
        world = faults.world
        client = faults.client_as(world.manager)
        _page_shows_the_others(
            faults, hook, lambda: client.get(path(world)), lambda m: marker.format(m)
        )

    return scenario


def _portal_sections(faults: Faults, hook: str) -> None:
    world = faults.world
    client = faults.app.test_client()
    resident_login(client, world.anna.bsn)
    _page_shows_the_others(
        faults, hook, lambda: client.get("/mijn/gegevens"), lambda m: f'id="{m}.sectie"'
    )


def _resident_authenticators(faults: Faults, hook: str) -> None:
    world = faults.world
    client = faults.app.test_client()
    _page_shows_the_others(
        faults, hook, lambda: client.get("/mijn/inloggen"), lambda m: f"Inloggen via {m}"
    )
    # the portal's own way in still works with the module's authenticators gone
    resident_login(client, world.anna.bsn)
    assert client.get("/mijn/gegevens").status_code == 200


def _permissions(faults: Faults, hook: str) -> None:
    """Called once at start-up: the application still starts with the other modules'
    permissions (and `defect`'s manifest permissions) and serves its pages."""
    assert {f"{RAISER}.extra", f"{WITNESS}.extra"} <= set(
        faults.app.extensions["openregie"].permissions
    )

    faults.arm(hook)
    app = faults.make_app(MODULES)

    permissions = app.extensions["openregie"].permissions
    assert f"{RAISER}.extra" not in permissions
    assert {f"{WITNESS}.extra", f"{RAISER}.view", f"{WITNESS}.view"} <= set(permissions)
    assert dropped(hook) in faults.logged()
    client = app.test_client()
    act_as(client, create_test_user(app, "professional"))
    page = client.get("/start")
    assert page.status_code == 200
    assert f"Widget van {RAISER}" in page.get_data(as_text=True)


def _person_relations(faults: Faults, hook: str) -> None:
    """A raising relation fails closed: the persons only it made visible are not found
    (search and page), those of the other modules' relations still are."""
    world = faults.world
    client = faults.client_as(world.manager)
    _page_shows_the_others(
        faults, hook, lambda: client.get("/personen/?naam=zichtbaar"), lambda m: f"Zichtbaar-{m}"
    )
    with faults.app.extensions["openregie"].session_factory() as session:
        ids = {
            module_id: session.scalar(
                select(Person.id).where(Person.geslachtsnaam == f"Zichtbaar-{module_id}")
            )
            for module_id in (RAISER, WITNESS)
        }
    assert client.get(f"/personen/{ids[RAISER]}").status_code == 404
    assert client.get(f"/personen/{ids[WITNESS]}").status_code == 200
    assert client.get(f"/personen/{world.anna.id}").status_code == 200  # casemanagement's
    # the API answers from the same predicate
    headers = personal_token(faults.app, world.manager, ["core.person.read"])
    api = faults.app.test_client()
    found = api.get("/api/v1/core/persons?name=zichtbaar", headers=headers)
    assert found.status_code == 200, found.get_json()
    assert [p["geslachtsnaam"] for p in found.get_json()["items"]] == [f"Zichtbaar-{WITNESS}"]
    assert api.get(f"/api/v1/core/persons/{ids[RAISER]}", headers=headers).status_code == 404
    assert api.get(f"/api/v1/core/persons/{ids[WITNESS]}", headers=headers).status_code == 200


def _report_metrics(faults: Faults, hook: str) -> None:
    world = faults.world
    client = faults.client_as(world.policy)
    _page_shows_the_others(
        faults, hook, lambda: client.get("/rapportage/"), lambda m: f"Personen volgens {m}"
    )


def _demo_data(faults: Faults, hook: str) -> None:
    """`openregie demo`: the raising module's demo data is rolled back and reported with
    its id; everything else is seeded."""
    faults.arm(hook)
    result = run_cli(faults.app, faults.tmp_path, "demo")

    assert result.exit_code == 0, result.output
    assert f"warning: demo data of {RAISER}: RuntimeError: storing in {hook}" in result.output
    assert WITNESS not in "".join(line for line in result.output.splitlines() if "warning" in line)
    named = Organisation.name
    assert faults.row_count(Organisation, named == f"Demo-organisatie van {WITNESS}") == 1
    assert faults.row_count(Organisation, named == f"Demo-organisatie van {RAISER}") == 0
    assert faults.row_count(Person) > 10  # core's demo region is there


def _subject_export(faults: Faults, hook: str) -> None:
    """`openregie subject export`: the export still gets written, names the raising module
    as incomplete and holds the others' sections; the command says it is incomplete."""
    world = faults.world
    output = faults.tmp_path / "inzage.json"

    complete = run_cli(
        faults.app,
        faults.tmp_path,
        "subject",
        "export",
        "--person",
        str(world.anna.id),
        "--output",
        str(output),
    )
    assert complete.exit_code == 0, complete.output
    sections = {s["module"] for s in json.loads(output.read_text("utf-8"))["modules"]}
    assert {RAISER, WITNESS} <= sections

    faults.arm(hook)
    incomplete = run_cli(
        faults.app,
        faults.tmp_path,
        "subject",
        "export",
        "--person",
        str(world.anna.id),
        "--output",
        str(output),
    )

    assert incomplete.exit_code == 1
    assert f"incomplete: the export of {RAISER} failed" in incomplete.output
    document = json.loads(output.read_text("utf-8"))
    assert document["incomplete_modules"] == [RAISER]
    sections = {s["module"] for s in document["modules"]}
    assert WITNESS in sections and RAISER not in sections
    assert f"subject export of module {RAISER} failed; left out" in faults.logged()


def _subject_erasure(faults: Faults, hook: str) -> None:
    """`openregie subject erase`: unlike other contributions, a raising erasure rolls the
    whole erasure back (the raising module had already erased the e-mail address) and
    the command fails saying so."""
    world = faults.world
    faults.arm(hook)

    result = run_cli(
        faults.app, faults.tmp_path, "subject", "erase", "--person", str(world.loner.id), "--yes"
    )

    assert result.exit_code == 1
    assert "the erasure failed in a module" in result.output
    assert "nothing was erased" in result.output
    assert (
        f"subject erasure of module {RAISER} failed; the whole erasure is rolled back"
    ) in faults.logged()
    with faults.app.extensions["openregie"].session_factory() as session:
        loner = session.get(Person, world.loner.id)
        assert loner is not None and loner.email == "lot@example.org"
        erased = session.scalar(
            text(
                "SELECT count(*) FROM core_audit_record WHERE action = 'delete' "
                "AND processing_activity = 'core.subject.erase' AND status = 'ok'"
            )
        )
    assert erased == 0
    # and it works once the module no longer raises
    faults.faulty.hooks[RAISER].ARMED.clear()
    again = run_cli(
        faults.app, faults.tmp_path, "subject", "erase", "--person", str(world.loner.id), "--yes"
    )
    assert again.exit_code == 0, again.output
    assert faults.row_count(Person, Person.id == world.loner.id) == 0


CONTRIBUTION_SCENARIOS: dict[str, Callable[[Faults, str], None]] = {
    "openregie_permissions": _permissions,
    "openregie_nav_items": staff_page(lambda w: "/start", "Menu van {}"),
    "openregie_dashboard_widgets": staff_page(lambda w: "/start", "Widget van {}"),
    "openregie_person_panels": staff_page(
        lambda w: f"/personen/{w.anna.id}", "Persoonspaneel van {}"
    ),
    "openregie_household_panels": staff_page(
        lambda w: f"/huishoudens/{w.household.id}", "Huishoudpaneel van {}"
    ),
    "openregie_allocation_panels": staff_page(
        lambda w: f"/casussen/{w.case.id}/toekenningen/{w.allocation.id}",
        "Toekenningspaneel van {}",
    ),
    "openregie_person_relations": _person_relations,
    "openregie_demo_data": _demo_data,
    "openregie_report_metrics": _report_metrics,
    "openregie_subject_export": _subject_export,
    "openregie_subject_erasure": _subject_erasure,
    "openregie_portal_sections": _portal_sections,
    "openregie_resident_authenticators": _resident_authenticators,
}


@pytest.fixture
def faults(make_app: Any, faulty: Any, caplog: Any, tmp_path: Path) -> Iterator[Faults]:
    with caplog.at_level(logging.ERROR, logger="openregie.hooks"):
        yield Faults(make_app, faulty, caplog, tmp_path)


def test_the_faulty_module_implements_every_hook_spec_and_each_has_a_known_class(faults):
    assert HOOK_KINDS, "no hook specs found"
    assert set(HOOK_KINDS.values()) <= set(HookKind)
    # every implementation of the faulty module matches a spec, and every spec has one
    implemented = {
        name for name in dir(faults.faulty.hooks[RAISER]) if name.startswith("openregie_")
    }
    assert implemented == set(HOOK_KINDS)


@pytest.mark.parametrize("hook", _hooks_of(HookKind.CONTRIBUTION))
def test_a_raising_contribution_hook_is_logged_and_dropped_and_the_host_serves_the_others(
    faults, hook
):
    scenario = CONTRIBUTION_SCENARIOS.get(hook)
    assert scenario is not None, f"no fault scenario for the contribution hook {hook}: add one"
    scenario(faults, hook)


# -- decision hooks ------------------------------------------------------------------------------


def _authorize(faults: Faults, hook: str) -> None:
    """A raising `openregie_authorize` denies everything it is asked (pages 403, the
    case 403/404, the API 403 in JSON) and never allows; the host keeps answering."""
    world = faults.world
    client = faults.client_as(world.manager)
    headers = personal_token(faults.app, world.manager, ["casemanagement.case.read"])
    api = faults.app.test_client()
    case_page = f"/casussen/{world.case.id}"
    case_api = f"/api/v1/casemanagement/cases/{world.case.id}"
    assert client.get("/start").status_code == 200
    assert client.get(case_page).status_code == 200
    assert api.get(case_api, headers=headers).status_code == 200

    faults.arm(hook)

    assert client.get("/start").status_code == 403
    assert client.get(case_page).status_code in (403, 404)
    answer = api.get(case_api, headers=headers)
    assert answer.status_code == 403
    assert answer.get_json()["error"]["status"] == 403
    assert client.get("/health").status_code == 200
    assert f"decision hook {hook} of module {RAISER} raised; denying" in faults.logged()


DECISION_SCENARIOS: dict[str, Callable[[Faults, str], None]] = {
    "openregie_authorize": _authorize,
}


@pytest.mark.parametrize("hook", _hooks_of(HookKind.DECISION))
def test_a_raising_decision_hook_denies_and_is_logged_while_the_host_keeps_answering(faults, hook):
    scenario = DECISION_SCENARIOS.get(hook)
    assert scenario is not None, f"no fault scenario for the decision hook {hook}: add one"
    scenario(faults, hook)


# -- event hooks ---------------------------------------------------------------------------------


def _user_created(faults: Faults, hook: str) -> None:
    """A functional admin creates an account through the page: the account is committed,
    both modules received the event (the raising one first, in load order), the error is
    logged and the admin's next page works."""
    world = faults.world
    loaded = faults.app.extensions["openregie"].modules.loaded_ids
    assert loaded.index(RAISER) < loaded.index(WITNESS)  # so the witness runs after it
    client = faults.client_as(world.admin)
    token = csrf_token_in(client.get("/admin/gebruikers/").get_data(as_text=True))
    faults.arm(hook)

    created = client.post(
        "/admin/gebruikers/",
        data={
            "csrf_token": token,
            "username": "k.de-vries",
            "display_name": "K. de Vries",
            "email": "",
            "kind": "professional",
            "password": "een-lang-wachtwoord-1",
        },
    )

    assert created.status_code == 303, created.get_data(as_text=True)
    assert faults.row_count(User, User.username == "k.de-vries") == 1
    assert faults.faulty.hooks[RAISER].EVENTS == ["k.de-vries"]
    assert faults.faulty.hooks[WITNESS].EVENTS == ["k.de-vries"]
    assert dropped(hook) in faults.logged()
    page = client.get(created.headers["Location"])
    assert page.status_code == 200 and "K. de Vries" in page.get_data(as_text=True)


EVENT_SCENARIOS: dict[str, Callable[[Faults, str], None]] = {
    "openregie_user_created": _user_created,
}


@pytest.mark.parametrize("hook", _hooks_of(HookKind.EVENT))
def test_a_raising_event_hook_keeps_the_committed_data_and_the_other_listeners_still_run(
    faults, hook
):
    scenario = EVENT_SCENARIOS.get(hook)
    assert scenario is not None, f"no fault scenario for the event hook {hook}: add one"
    scenario(faults, hook)


# -- 2. a database error in the middle of a write request ----------------------------------------

PLAN_TABLES = ("casemanagement_plan", "casemanagement_plan_version", "casemanagement_goal")
API = "/api/v1/casemanagement"
CASE_SCOPES = ["casemanagement.case.read", "casemanagement.case.write"]


@contextmanager
def failing_statement(engine: Any, pattern: str) -> Iterator[SimpleNamespace]:
    """The first statement on `engine` matching `pattern` (a regular expression whose
    first group is a table name) fails in the database itself: the statement is sent with
    that table renamed to one that does not exist, so the database refuses it as it would
    a real fault (on PostgreSQL the transaction is aborted). Yields `failed` (the
    statements it failed: at most one) and `writes` (the first words of the INSERT,
    UPDATE and DELETE statements sent before it)."""
    seen = SimpleNamespace(failed=[], writes=[])
    matcher = re.compile(pattern)

    def swap(connection, cursor, statement, parameters, context, executemany):
        found = matcher.match(statement)
        if found is None or seen.failed:
            if not seen.failed and statement.startswith(("INSERT", "UPDATE", "DELETE")):
                seen.writes.append(" ".join(statement.split()[:3]))
            return statement, parameters
        seen.failed.append(statement)
        table = found.group(1)
        return statement.replace(table, f"{table}_injected_fault", 1), parameters

    event.listen(engine, "before_cursor_execute", swap, retval=True)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", swap)


def _rows(app: Any, table: str) -> int:
    with app.extensions["openregie"].engine.connect() as connection:
        return connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()


def _audit_since(app: Any, last_id: int) -> list[tuple[str, str, str, str]]:
    """(action, processing activity, data subject id, status) of the audit records
    written after record `last_id`."""
    with app.extensions["openregie"].engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT action, processing_activity, data_subject_id, status "
                "FROM core_audit_record WHERE id > :last ORDER BY id"
            ),
            {"last": last_id},
        )
        return [tuple(row) for row in rows]


def _last_audit_id(app: Any) -> int:
    with app.extensions["openregie"].engine.connect() as connection:
        return connection.execute(
            text("SELECT coalesce(max(id), 0) FROM core_audit_record")
        ).scalar_one()


def _goal_body(world: World, words: str) -> dict[str, Any]:
    return {
        "life_domain": "finances",
        "text": words,
        "owner": {"kind": "resident", "id": str(world.anna.id)},
    }


def _goal_by_api(faults: Faults) -> Callable[[str], Any]:
    """A sender of new goals through the API (its token made and used beforehand)."""
    world = faults.world
    headers = personal_token(faults.app, world.manager, CASE_SCOPES)
    api = faults.app.test_client()
    assert api.get(f"{API}/cases/{world.case.id}", headers=headers).status_code == 200
    return lambda words: api.post(
        f"{API}/cases/{world.case.id}/plan/goals", json=_goal_body(world, words), headers=headers
    )


def _goal_by_form(faults: Faults) -> Callable[[str], Any]:
    """A sender of the plan page's new-goal form (the page read beforehand)."""
    world = faults.world
    client = faults.client_as(world.manager)
    page = client.get(f"/casussen/{world.case.id}/plan")
    assert page.status_code == 200
    token = csrf_token_in(page.get_data(as_text=True))
    return lambda words: client.post(
        f"/casussen/{world.case.id}/plan/doelen",
        data={
            "csrf_token": token,
            "goal-life_domain": "finances",
            "goal-text": words,
            "goal-owner": f"resident:{world.anna.id}",
            "goal-target_date": "",
        },
    )


WRITES = {"api": _goal_by_api, "form": _goal_by_form}
# Where the request fails: on the goal's INSERT (after the plan's), or at its commit, on
# the INSERT of the audit records that commit with the data.
FAULTS = {
    "goal-insert": r"INSERT INTO (casemanagement_goal)\b",
    "audit-insert-at-commit": r"INSERT INTO (core_audit_record)\b",
}


@pytest.mark.parametrize("where", list(FAULTS))
@pytest.mark.parametrize("via", list(WRITES))
def test_a_database_error_mid_request_rolls_the_whole_request_back_and_the_next_one_works(
    faults, via, where, tmp_path
):
    world = faults.world
    app = faults.app
    send = WRITES[via](faults)
    assert [_rows(app, table) for table in PLAN_TABLES] == [0, 0, 0]  # the case has no plan
    last = _last_audit_id(app)

    with failing_statement(app.extensions["openregie"].engine, FAULTS[where]) as injected:
        answer = send("Rondkomen zonder nieuwe schulden")

    assert len(injected.failed) == 1
    assert "INSERT INTO casemanagement_plan" in injected.writes  # it failed after writing
    assert answer.status_code == 500  # the database failing is the server's fault
    if via == "api":
        assert answer.get_json()["error"]["status"] == 500
    else:
        assert "Er ging iets mis" in answer.get_data(as_text=True)
    body = answer.get_data(as_text=True)
    assert "Traceback" not in body and "injected_fault" not in body
    # nothing of the request: no plan, no version, no goal
    assert [_rows(app, table) for table in PLAN_TABLES] == [0, 0, 0]
    # its audit records say what it tried, with status "error"; none says "ok"
    written = _audit_since(app, last)
    creates = [r for r in written if r[0] == "create" and r[1] == "casemanagement.case.write"]
    if where == "audit-insert-at-commit":  # recorded before the commit failed
        assert {r[2].replace("-", "") for r in creates} == {world.anna.id.hex, world.tim.id.hex}
    assert all(status == "error" for _, _, _, status in creates)
    assert not any(status == "ok" for _, _, _, status in written)

    again = send("Rondkomen zonder nieuwe schulden")

    assert again.status_code in (201, 303), again.get_data(as_text=True)
    assert [_rows(app, table) for table in PLAN_TABLES] == [1, 1, 1]
    verified = run_cli(app, tmp_path, "audit", "verify")
    assert verified.exit_code == 0, verified.output
    assert "audit chain intact" in verified.output


# -- 3. two simultaneous updates of one plan item ------------------------------------------------


def _plan_with_goal_and_action(faults: Faults) -> tuple[dict[str, str], dict, dict]:
    """A goal with an action in the case's plan, through the API: (headers, goal, action)."""
    world = faults.world
    api = faults.app.test_client()
    headers = personal_token(faults.app, world.manager, CASE_SCOPES)
    goal = api.post(
        f"{API}/cases/{world.case.id}/plan/goals",
        json=_goal_body(world, "Rust in huis"),
        headers=headers,
    )
    assert goal.status_code == 201, goal.get_json()
    action = api.post(
        f"{API}/goals/{goal.get_json()['id']}/actions",
        json={
            "description": "Post sorteren",
            "assignee": {"kind": "resident", "id": str(world.anna.id)},
        },
        headers=headers,
    )
    assert action.status_code == 201, action.get_json()
    return headers, goal.get_json(), action.get_json()


@contextmanager
def meeting_before_the_write(engine: Any, parties: int) -> Iterator[None]:
    """Each of `parties` threads waits, at its first UPDATE of a case-management table,
    until all of them got there: each has read the rows and passed the version check
    before any writes, the interleaving that loses an update unless the write itself
    checks the version."""
    barrier = threading.Barrier(parties, timeout=20)
    waited: set[int] = set()
    matcher = re.compile(r"UPDATE casemanagement_")

    def meet(connection, cursor, statement, parameters, context, executemany):
        me = threading.get_ident()
        if me not in waited and matcher.match(statement):
            waited.add(me)
            barrier.wait()

    event.listen(engine, "before_cursor_execute", meet)
    try:
        yield
    finally:
        event.remove(engine, "before_cursor_execute", meet)


def _plan_version(app: Any) -> int:
    with app.extensions["openregie"].session_factory() as session:
        return session.scalars(select(Plan.version)).one()


@pytest.mark.parametrize(
    ("item", "field"), [("goals", "text"), ("actions", "description")], ids=["goal", "action"]
)
def test_two_simultaneous_updates_with_one_version_one_wins_the_other_is_a_409_nothing_lost(
    faults, item, field
):
    headers, goal, action = _plan_with_goal_and_action(faults)
    read = {"goals": goal, "actions": action}[item]
    app = faults.app
    url = f"{API}/{item}/{read['id']}"
    model = {"goals": Goal, "actions": Action}[item]
    plan_version = _plan_version(app)
    clients = [app.test_client(), app.test_client()]
    plan_url = f"{API}/cases/{faults.world.case.id}/plan"
    for client in clients:  # the token's first use writes; done before the race
        assert client.get(plan_url, headers=headers).status_code == 200
    answers: dict[str, Any] = {}

    def update(client: Any, words: str) -> None:
        answers[words] = client.patch(
            url, json={"version": read["version"], field: words}, headers=headers
        )

    with meeting_before_the_write(app.extensions["openregie"].engine, 2):
        threads = [
            threading.Thread(target=update, args=(client, words))
            for client, words in zip(clients, ("Versie van A", "Versie van B"), strict=True)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)

    statuses = sorted(answer.status_code for answer in answers.values())
    assert statuses == [200, 409], {w: a.get_data(as_text=True) for w, a in answers.items()}
    [winner] = [words for words, answer in answers.items() if answer.status_code == 200]
    [loser] = [answer for answer in answers.values() if answer.status_code == 409]
    assert loser.get_json()["error"]["fields"][0]["field"] == "version"
    with app.extensions["openregie"].session_factory() as session:
        stored = session.get(model, uuid.UUID(read["id"]))
        assert (getattr(stored, field), stored.version) == (winner, read["version"] + 1)
    assert answers[winner].get_json()["version"] == read["version"] + 1
    assert _plan_version(app) == plan_version + 1


# -- 4. a server process killed while a write is in flight ---------------------------------------

SERVER_START_SECONDS = 60
IN_FLIGHT_WAIT_SECONDS = 30


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """`openregie serve` in a child process on `url`'s database; always killed by `stop`."""

    def __init__(self, url: str, site: Path, workdir: Path, signal_file: Path) -> None:
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = workdir / f"serve-{self.port}.log"
        env = {k: v for k, v in os.environ.items() if k not in ISOLATE}
        env.update(
            OPENREGIE_DATABASE_URL=url,
            OPENREGIE_INSTANCE_PATH=str(workdir / "instance"),
            OPENREGIE_MODE="test",
            OPENREGIE_SECRET_KEY=TEST_SECRET_KEY,
            OPENREGIE_MODULES=",".join(MODULES),
            OPENREGIE_FAULTS_SIGNAL=str(signal_file),
            PYTHONPATH=os.pathsep.join(filter(None, [str(site), env.get("PYTHONPATH")])),
        )
        command = Path(sys.executable).with_name("openregie")
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [str(command), "serve", "--host", "127.0.0.1", "--port", str(self.port)],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def wait_until_serving(self) -> None:
        deadline = time.monotonic() + SERVER_START_SECONDS
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"the server stopped:\n{self.output()}"
            try:
                if self.request("GET", "/health")[0] == 200:
                    return
            except OSError:
                time.sleep(0.1)
        raise AssertionError(f"the server did not answer within {SERVER_START_SECONDS}s")

    def request(
        self, method: str, path: str, headers: dict[str, str] | None = None, body: Any = None
    ) -> tuple[int, Any]:
        """(status, JSON body) of one request; OSError when the connection fails."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request(
                method,
                path,
                body=None if body is None else json.dumps(body),
                headers={**(headers or {}), "Content-Type": "application/json"},
            )
            answer = connection.getresponse()
            return answer.status, json.loads(answer.read() or b"null")
        finally:
            connection.close()

    def kill(self) -> None:
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def output(self) -> str:
        return self.log.read_text("utf-8", errors="replace")


@pytest.fixture
def servers() -> Iterator[list[Server]]:
    """The servers a test started; each is killed when the test ends, whatever happened."""
    started: list[Server] = []
    yield started
    for server in started:
        server.kill()


def test_a_server_killed_mid_request_loses_no_committed_data_and_the_audit_chain_verifies(
    faults, servers, tmp_path
):
    world = faults.world
    app = faults.app
    headers = personal_token(app, world.manager, [*CASE_SCOPES, f"{RAISER}.view"])
    # the server gets the database as production would: without the test kit's options
    url = make_url(database_url(app)).difference_update_query(["options"])
    url = url.render_as_string(hide_password=False)
    app.extensions["openregie"].engine.dispose()
    signal_file = tmp_path / "in-flight"

    first = Server(url, faults.faulty.site, tmp_path, signal_file)
    servers.append(first)
    first.wait_until_serving()
    status, goal = first.request(
        "POST", f"{API}/cases/{world.case.id}/plan/goals", headers, _goal_body(world, "Eerste doel")
    )
    assert status == 201, goal
    status, action = first.request(
        "POST", f"{API}/goals/{goal['id']}/actions", headers, {"description": "Eerste actie"}
    )
    assert status == 201, action
    status, changed = first.request(
        "PATCH",
        f"{API}/goals/{goal['id']}",
        headers,
        {"version": goal["version"], "text": "Gewijzigd doel"},
    )
    assert status == 200, changed

    in_flight: dict[str, Any] = {}

    def slow_write() -> None:
        try:
            in_flight["answer"] = first.request(
                "POST", f"/api/v1/{RAISER}/traag", headers, {"name": "Halverwege BV"}
            )
        except OSError as lost:  # the server died under it
            in_flight["error"] = lost

    writer = threading.Thread(target=slow_write)
    writer.start()
    deadline = time.monotonic() + IN_FLIGHT_WAIT_SECONDS
    while not signal_file.exists():
        assert time.monotonic() < deadline, f"the write never got in flight:\n{first.output()}"
        assert writer.is_alive(), in_flight
        time.sleep(0.05)
    first.kill()
    writer.join(timeout=30)

    assert first.process.returncode == -signal.SIGKILL
    assert "answer" not in in_flight and isinstance(in_flight.get("error"), OSError)

    second = Server(url, faults.faulty.site, tmp_path, signal_file)
    servers.append(second)
    second.wait_until_serving()
    status, plan = second.request("GET", f"{API}/cases/{world.case.id}/plan", headers)
    assert status == 200, plan
    [kept] = plan["plan"]["goals"]
    assert (kept["text"], kept["version"]) == ("Gewijzigd doel", changed["version"])
    assert [a["description"] for a in kept["actions"]] == ["Eerste actie"]
    # the in-flight write left nothing; a new write works
    status, created = second.request(
        "POST", f"{API}/cases/{world.case.id}/plan/goals", headers, _goal_body(world, "Na de crash")
    )
    assert status == 201, created
    second.kill()

    assert faults.row_count(Organisation, Organisation.name == "Halverwege BV") == 0
    verified = run_cli(app, tmp_path, "audit", "verify")
    assert verified.exit_code == 0, verified.output
    assert "audit chain intact" in verified.output
    with app.extensions["openregie"].engine.connect() as connection:
        statuses = dict(
            connection.execute(
                text(
                    "SELECT action, count(*) FROM core_audit_record "
                    "WHERE processing_activity = 'casemanagement.case.write' AND status = 'ok' "
                    "GROUP BY action"
                )
            ).all()
        )
        in_flight_records = connection.execute(
            text("SELECT count(*) FROM core_audit_record WHERE processing_activity = :activity"),
            {"activity": f"{RAISER}.view"},
        ).scalar_one()
    # two persons per committed write: goal, action, the goal's change, the goal after
    assert statuses == {"create": 6, "update": 2}
    assert in_flight_records == 0
