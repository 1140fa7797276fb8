"""Every write route (POST, PUT, PATCH, DELETE) of the installation either changes a
person's data and writes an audit record ("ok") for each data subject it changes, or is
exempt for a stated reason (write_audit.toml).

Each request runs against a fresh application over a fresh copy of the world in
conftest.py, so one write never prepares or spoils another. Pages are posted with the
CSRF token of the form page they belong to; the API with a personal token of the user."""

from __future__ import annotations

import datetime as dt
import io
import re
import tomllib
import uuid
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import select, text

from openregie_sdk.testing.plugin import create_test_user, csrf_token_in, personal_token

MODULES = ["casemanagement", "consent", "portal", "reporting"]
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
WRITES = tomllib.loads(Path(__file__).with_name("write_audit.toml").read_text())
METHODS = {"POST", "PUT", "PATCH", "DELETE"}
SUBJECTS = {"anna", "tim", "created"}
READS = {"read", "search"}
EXTRA_ACTORS = ("team_lead", "admin_zutphen")
MATRIX = tomllib.loads(Path(__file__).with_name("authorisation_matrix.toml").read_text())
# Who sends a request: a relation of the matrix, Mira (`manager`: the case manager, one of
# the world's users), or an actor added for the request.
ACTORS = (set(MATRIX["relations"]) - {"anonymous"}) | {"manager", *EXTRA_ACTORS}
FIELDS = {"as", "setup", "url", "page", "form", "files", "json", "status", "audited"}
PLACEHOLDER = re.compile(r"<(?:[a-z]+:)?([a-z_]+)>")


def _write_routes(app: Any) -> set[str]:
    return {
        f"{method} {rule.rule}"
        for rule in app.url_map.iter_rules()
        for method in sorted(rule.methods & METHODS)
    }


def test_every_write_route_of_the_installation_is_listed_or_exempt(make_app):
    """A new write route fails here until someone says which request exercises it and whose
    data it must audit, or why it touches no resident's data."""
    routes = _write_routes(make_app(MODULES))
    listed = set(WRITES["routes"]) | set(WRITES["exempt"])
    assert not set(WRITES["routes"]) & set(WRITES["exempt"])
    assert sorted(routes - listed) == []
    assert sorted(listed - routes) == []  # nothing stale either


def test_each_listed_write_says_what_it_sends_and_whom_it_audits():
    for key, entry in WRITES["routes"].items():
        assert entry["as"] in ACTORS, key
        assert set(entry) <= FIELDS, f"{key}: {sorted(set(entry) - FIELDS)}"
        assert set(entry.get("audited", ())) <= SUBJECTS, key
        assert entry.get("audited"), f"{key}: a listed write audits someone, or is exempt"
        api = key.split()[1].startswith("/api/")
        assert api or "page" in entry, f"{key}: a page needs the form page for its CSRF token"
        assert not (api and "page" in entry), key
        assert not ("json" in entry and ("form" in entry or "files" in entry)), key
    for key, reason in WRITES["exempt"].items():
        assert isinstance(reason, str) and reason.strip(), key


# -- the world, and what a request needs on top of it -----------------------------------------


def _extra_user(app: Any, world: SimpleNamespace, name: str) -> Any:
    """Actors the matrix does not have: the team lead of Noord (reviews doorbrekingen) and a
    functional admin of Zutphen (manages the persons registry there)."""
    from openregie_sdk.registry import Membership, Municipality, Organisation, Team

    runtime = app.extensions["openregie"]
    with runtime.session_factory() as session:
        if name == "team_lead":
            user = create_test_user(app, "professional", roles=[], display_name="Tom Leider")
            session.add(
                Membership(
                    user_id=user.id,
                    team_id=session.scalar(select(Team.id).where(Team.name == "Noord")),
                    role="team_lead",
                    home_organisation_id=session.scalar(
                        select(Organisation.id).where(Organisation.name == "Wijkteam")
                    ),
                    start_on=dt.date(2020, 1, 1),
                )
            )
            session.commit()
            return user
        zutphen = session.scalar(select(Municipality.id).where(Municipality.name == "Zutphen"))
        return create_test_user(
            app,
            "functional_admin",
            roles=[("functional_admin", zutphen)],
            display_name="Ad Zutphen",
        )


def _prepare(app: Any, world: SimpleNamespace, needs: list[str]) -> dict[str, str]:
    """Create what a request needs beyond the world (`setup` in the file); returns the ids
    it adds."""
    from openregie_casemanagement.models import Case, CasePerson, Goal
    from openregie_casemanagement.services import plan, records
    from openregie_sdk import capability
    from openregie_sdk.registry import Person

    runtime = app.extensions["openregie"]
    ids: dict[str, str] = {}
    with app.app_context():
        db = runtime.session()
        case = db.get(Case, world.ids.case_id)
        anna = db.get(Person, world.ids.person_id)
        manager = runtime.actor_for_user(world.users.manager)
        for need in needs:
            if need == "appointment_request":
                made = records.request_appointment(
                    case, anna, subject="Bellen", channel="phone", preferred_moments="ochtend"
                )
                ids["request_id"] = str(made.id)
            elif need == "proposals":
                goal = plan.propose_goal(case, anna, "housing", "Een rustige woning.")
                action = plan.propose_action(
                    db.get(Goal, world.ids.goal_id), anna, "Brief schrijven.", None
                )
                ids["proposed_goal_id"] = str(goal.id)
                ids["proposed_action_id"] = str(action.id)
            elif need == "draft_plan":  # a change after agreement: a new draft version
                plan.add_goal(case.id, manager, life_domain="housing", text="Een woning.")
            elif need == "closed_case":
                case.status = "afgesloten"
                case.closed_on = dt.date.today()
                case.closure_reason = "doelen_bereikt"
            elif need == "planless_case":
                other = Case(
                    household_id=case.household_id,
                    team_id=case.team_id,
                    case_manager_id=case.case_manager_id,
                    title="Wonen",
                    status="plan",
                    opened_on=dt.date.today(),
                )
                db.add(other)
                db.flush()
                db.add_all(
                    [
                        CasePerson(case_id=other.id, person_id=pid)
                        for pid in (world.ids.person_id, world.ids.tim_id)
                    ]
                )
                ids["planless_case_id"] = str(other.id)
            elif need == "override":
                made = capability("consent").record_override(
                    [world.ids.person_id, world.ids.tim_id],
                    user_id=world.users.consent_missing.id,
                    reason="Acute zorgen.",
                    hours=24,
                    review_team_id=case.team_id,
                    context=f"casemanagement case {case.id}",
                )
                ids["override_id"] = str(made[0].id)
            elif need == "resident_action":
                made = plan.add_action(
                    world.ids.goal_id,
                    manager,
                    description="Map klaarleggen.",
                    assignee=plan.PartyRef("resident", world.ids.person_id),
                )
                ids["resident_action_id"] = str(made.id)
            else:
                raise AssertionError(f"unknown setup {need!r}")
        db.commit()
        runtime.close_cli_session()
    return ids


def _values(app: Any, world: SimpleNamespace, extra: dict[str, str]) -> dict[str, str]:
    """Everything a `<name>` in the file can stand for: the world's ids, the ids the setup
    added, the current versions of what the requests change, and dates."""
    from openregie_casemanagement.models import Action, Allocation, Case, Goal, Plan
    from openregie_sdk.registry import Municipality, Organisation, Person, Team

    values = {name: str(value) for name, value in vars(world.ids).items()}
    values.update(extra)
    runtime = app.extensions["openregie"]
    with runtime.session_factory() as db:
        values["case_version"] = str(db.get(Case, world.ids.case_id).version)
        values["plan_version"] = str(
            db.scalar(select(Plan.version).where(Plan.case_id == world.ids.case_id))
        )
        values["goal_version"] = str(db.get(Goal, world.ids.goal_id).version)
        values["action_version"] = str(db.get(Action, world.ids.action_id).version)
        values["allocation_version"] = str(db.get(Allocation, world.ids.allocation_id).version)
        values["anna_version"] = str(db.get(Person, world.ids.person_id).version)
        for name in ("proposed_goal_id", "proposed_action_id", "resident_action_id"):
            if name in extra:
                model = Goal if "goal" in name else Action
                values[name.replace("_id", "_version")] = str(
                    db.get(model, uuid.UUID(extra[name])).version
                )
        values["noord_id"] = str(db.scalar(select(Team.id).where(Team.name == "Noord")))
        values["zuid_id"] = str(db.scalar(select(Team.id).where(Team.name == "Zuid")))
        values["zutphen_id"] = str(
            db.scalar(select(Municipality.id).where(Municipality.name == "Zutphen"))
        )
        values["ggd_id"] = str(db.scalar(select(Organisation.id).where(Organisation.name == "GGD")))
        values["involvement_id"] = _uuid(
            db.scalar(
                text("SELECT id FROM casemanagement_involvement WHERE name = 'Sanne Jeugdzorg'")
            )
        )
    values["correction_id"] = _correction_id(app)
    values["otto_id"] = str(world.users.other_team_same_org.id)
    values["manager_id"] = str(world.users.manager.id)
    values["today"] = dt.date.today().isoformat()
    yesterday = dt.datetime.now() - dt.timedelta(days=1)
    values["yesterday_local"] = yesterday.strftime("%Y-%m-%dT%H:%M")
    values["yesterday_utc"] = (dt.datetime.now(dt.UTC) - dt.timedelta(days=1)).isoformat()
    return values


def _correction_id(app: Any) -> str:
    with app.extensions["openregie"].engine.connect() as connection:
        return _uuid(connection.scalar(text("SELECT id FROM portal_correction")))


def _uuid(raw: Any) -> str:
    """A uuid read with plain SQL (a UUID on PostgreSQL, 32 hex digits on SQLite)."""
    return str(uuid.UUID(str(raw)))


def _fill(value: Any, values: dict[str, str]) -> Any:
    if isinstance(value, str):
        return PLACEHOLDER.sub(lambda match: values[match.group(1)], value)
    if isinstance(value, list):
        return [_fill(item, values) for item in value]
    if isinstance(value, dict):
        return {_fill(name, values): _fill(item, values) for name, item in value.items()}
    return value


def _client_as(app: Any, world: SimpleNamespace, relation: str, extra_users: dict) -> Any:
    """A client signed in as the relation (the same session as the matrix test's)."""
    client = app.test_client()
    now = dt.datetime.now(dt.UTC).timestamp()
    user = extra_users.get(relation) or getattr(world.users, relation, None)
    resident = getattr(world.residents, relation, None)
    with client.session_transaction() as cookie:
        if user is not None:
            cookie["user_id"] = str(user.id)
            cookie["session_version"] = user.session_version
        elif resident is not None:
            person_id, acting_for = resident
            cookie["resident_id"] = str(person_id)
            cookie["resident_for"] = str(acting_for)
            cookie["resident_method"] = "mock_digid"
            cookie["resident_idle"] = 15
            cookie["resident_home"] = "/mijn/"
        else:
            raise AssertionError(f"unknown actor {relation!r}")
        cookie["seen"] = now
    return client


def _problems(response: Any) -> str:
    """What a refused request says is wrong: the API's error, or the page's field errors."""
    body = response.get_data(as_text=True)
    if response.is_json:
        return body
    errors = re.findall(r'id="([\w-]+-error)"[^>]*>(.*?)</', body, re.S)
    return "; ".join(f"{field}: {' '.join(words.split())}" for field, words in errors) or body[:300]


def _audited_since(app: Any, last: int) -> tuple[int, dict[str, set[str]]]:
    """The newest audit record id, and per data subject the actions recorded "ok" after
    `last`."""
    with app.extensions["openregie"].engine.connect() as connection:
        newest = connection.scalar(text("SELECT coalesce(max(id), 0) FROM core_audit_record"))
        rows = connection.execute(
            text(
                "SELECT data_subject_id, action FROM core_audit_record"
                " WHERE id > :last AND status = 'ok'"
            ),
            {"last": last},
        )
        actions: dict[str, set[str]] = {}
        for subject, action in rows:
            actions.setdefault(str(subject), set()).add(action)
        return newest, actions


def _changed(actions: dict[str, set[str]]) -> set[str]:
    """The subjects whose data a change was recorded for: reading them (the case a write
    loads first, the page it answers with) does not count."""
    return {subject for subject, done in actions.items() if done - READS}


def test_a_read_alone_does_not_count_as_auditing_a_change(make_app, world_in):
    app = make_app(MODULES)
    world = world_in(app)
    client = _client_as(app, world, "manager", {})
    last, _ = _audited_since(app, 0)
    assert client.get(f"/casussen/{world.ids.case_id}").status_code == 200
    _, actions = _audited_since(app, last)
    assert actions[str(world.ids.person_id)] == {"read"}
    assert _changed(actions) == set()


@pytest.mark.parametrize("key", sorted(WRITES["routes"]))
def test_each_write_succeeds_and_audits_every_data_subject_it_changes(key, make_app, world_in):
    entry = WRITES["routes"][key]
    method, rule = key.split(" ", 1)
    app = make_app(MODULES)
    world = world_in(app)
    extra_users = {
        name: _extra_user(app, world, name) for name in EXTRA_ACTORS if entry["as"] == name
    }
    values = _values(app, world, _prepare(app, world, entry.get("setup", [])))
    url = _fill(entry.get("url", rule), values)
    kwargs: dict[str, Any] = {}
    if rule.startswith("/api/"):
        user = extra_users.get(entry["as"]) or getattr(world.users, entry["as"])
        permissions = sorted(app.extensions["openregie"].permissions)
        client = app.test_client()
        kwargs["headers"] = personal_token(app, user, permissions, name=entry["as"])
    else:
        client = _client_as(app, world, entry["as"], extra_users)
        page = client.get(_fill(entry["page"], values))
        assert page.status_code == 200, f"{entry['page']}: {page.status_code}"
        kwargs["data"] = {"csrf_token": csrf_token_in(page.get_data(as_text=True))}
    if "json" in entry:
        kwargs["json"] = _fill(entry["json"], values)
    else:
        kwargs.setdefault("data", {}).update(_fill(entry.get("form", {}), values))
        for field, filename in entry.get("files", {}).items():
            kwargs["data"][field] = (io.BytesIO(PDF), filename, "application/pdf")
        if entry.get("files"):
            kwargs["content_type"] = "multipart/form-data"
    last, _ = _audited_since(app, 0)

    response = client.open(url, method=method, **kwargs)

    assert response.status_code == entry["status"], f"{method} {url}: {_problems(response)}"
    _, actions = _audited_since(app, last)
    recorded = _changed(actions)
    subjects = {"anna": str(world.ids.person_id), "tim": str(world.ids.tim_id)}
    if "created" in entry["audited"]:
        subjects["created"] = response.get_json()["id"]
    missing = sorted(name for name in entry["audited"] if subjects[name] not in recorded)
    assert missing == [], f"{method} {url} changed but did not audit: {', '.join(missing)}"
