"""A policy officer sees aggregates and nothing else: with every module loaded, each route
of the URL map that takes a person, household or case id (web and API, every method), and
the searches and lists of persons and cases, refuses them (401, 403 or 404) for real ids,
while the report and its downloads are theirs."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Any

import pytest
from sqlalchemy import insert

from openregie_sdk.db import Base
from openregie_sdk.registry import Household, HouseholdMember, Municipality, Person
from openregie_sdk.testing.plugin import csrf_token_in, personal_token

REFUSED = {401, 403, 404}
PERSON_LEVEL = re.compile(r"person|household|case|resident|consent_id|document|allocation")
# Searches and lists of persons and cases (no id in the URL).
LISTS = {
    "core_persons.search",
    "core_api.search",
    "casemanagement.worklist",
    "casemanagement_api.list_cases",
}


@pytest.fixture
def openregie_modules() -> None:
    return None  # the installation's default: every installed module


@pytest.fixture
def world(app, db) -> dict[str, uuid.UUID]:
    municipality = Municipality(cbs_code=f"GM{uuid.uuid4().int % 10000:04d}", name="Zutphen")
    db.add(municipality)
    db.flush()
    person = Person(
        voornamen="Anna", geslachtsnaam="Jansen", search_name="jansen",
        birth_date=dt.date(1985, 3, 1), municipality_id=municipality.id,
    )  # fmt: skip
    household = Household(name="Gezin Jansen")
    db.add_all([person, household])
    db.flush()
    db.add(
        HouseholdMember(
            household_id=household.id, person_id=person.id, role="parent",
            start_on=dt.date(2020, 1, 1),
        )
    )  # fmt: skip
    from openregie_sdk.registry import Team

    team = Team(name=f"Noord {uuid.uuid4().hex[:6]}", kind="integral")
    db.add(team)
    db.flush()
    case_id = uuid.uuid4()
    db.execute(
        insert(Base.metadata.tables["casemanagement_case"]),
        [
            dict(
                id=case_id, household_id=household.id, team_id=team.id, title="casus",
                status="uitvoering", opened_on=dt.date(2026, 1, 1),
            )
        ],
    )  # fmt: skip
    db.commit()
    return {"person": person.id, "household": household.id, "case": case_id}


def _value(name: str, converter: Any, world: dict[str, uuid.UUID]) -> str:
    for kind in ("person", "household", "case"):
        if name.startswith(kind):
            return str(world[kind])
    if type(converter).__name__ == "AnyConverter":
        return sorted(converter.items)[0] if hasattr(converter, "items") else "x"
    if type(converter).__name__ == "IntegerConverter":
        return "1"
    if type(converter).__name__ == "UUIDConverter":
        return str(uuid.uuid4())
    return "x"


def _url(rule: Any, world: dict[str, uuid.UUID]) -> str:
    path = rule.rule
    for converter_match in re.finditer(r"<(?:([a-z]+)(?:\([^)]*\))?:)?([a-z_]+)>", rule.rule):
        name = converter_match.group(2)
        value = _value(name, rule._converters[name], world)
        path = path.replace(converter_match.group(0), value, 1)
    return path


def person_level_rules(app: Any) -> list[Any]:
    return [
        rule
        for rule in app.url_map.iter_rules()
        if rule.endpoint in LISTS or any(PERSON_LEVEL.search(arg) for arg in rule.arguments)
    ]


def test_every_person_level_route_refuses_the_policy_officer(app, client, login_as, world):
    rules = person_level_rules(app)
    endpoints = {rule.endpoint for rule in rules}
    # The walk covers the registry, case management and consent (web and API).
    assert {"core_persons.detail", "core_households.detail", "core_api.detail"} <= endpoints
    assert {"casemanagement.case_detail", "casemanagement_api.get_case"} <= endpoints
    assert {"consent.person", "consent_api.list_consents"} <= endpoints
    officer = login_as("policy_officer")
    token = csrf_token_in(client.get("/start").get_data(as_text=True))
    bearer = personal_token(app, officer, app.extensions["openregie"].permissions)
    answers = []
    for rule in rules:
        url = _url(rule, world)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            if url.startswith("/api/"):  # with the officer's token (every permission asked)
                answer = client.open(url, method=method, headers=bearer, json={})
            else:  # with their session and a valid CSRF token, so only authorisation decides
                answer = client.open(url, method=method, data={"csrf_token": token})
            answers.append((method, url, answer.status_code))
    wrong = [a for a in answers if a[2] not in REFUSED]
    assert not wrong, wrong
    assert len(answers) >= 60


def test_the_policy_officer_has_the_report_and_its_downloads(app, client, login_as, world):
    login_as("policy_officer")
    assert client.get("/rapportage/").status_code == 200
    assert client.get("/rapportage/download.csv").status_code == 200
    assert client.get("/rapportage/download.xlsx").status_code == 200
    assert client.get("/rapportage/formatienormen").status_code == 403
