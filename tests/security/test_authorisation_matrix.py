"""Every read path answers every relation as the authorisation matrix
(authorisation_matrix.toml) says, and no GET route of the installation is missing from it.

Each route is requested by every actor of the world in conftest.py: professionals through
their session (pages) or a personal API token (the API), residents through their portal
session, and nobody. The outcome vocabulary is documented at the top of the matrix."""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import text

from openregie_sdk.testing.plugin import personal_token

MATRIX = tomllib.loads(Path(__file__).with_name("authorisation_matrix.toml").read_text())
RELATIONS = list(MATRIX["relations"])
OUTCOMES = {
    "allow",
    "listed",
    "unlisted",
    "hidden",
    "denied",
    "forbidden",
    "login",
    "unauthenticated",
    "redirect",
}
MARKERS = ("Jansen", "Zorgen om Tim")
LOGIN_PAGES = ("/auth/login", "/mijn/inloggen")
PARAMETER = re.compile(r"<(?:[a-z]+:)?([a-z_]+)>")


def url_of(rule: str, ids: SimpleNamespace, query: str | None = None) -> str:
    """The rule (and query) with its parameters filled in from the world's ids."""
    url = f"{rule}?{query}" if query else rule
    return PARAMETER.sub(lambda match: str(getattr(ids, match.group(1))), url)


def mismatch(
    expected: str, status: int, body: str, location: str, own_name: str = ""
) -> str | None:
    """Why a response does not have the expected outcome (None when it does). Whether it
    shows the Jansens' data is judged without the actor's own name (`own_name`)."""
    if own_name:
        body = body.replace(own_name, "")
    shows = any(marker in body for marker in MARKERS)
    checks = {
        "allow": status == 200,
        "listed": status == 200 and shows,
        "unlisted": status == 200 and not shows,
        "hidden": status == 404 and not shows,
        "denied": status in (401, 403, 404) and not shows,
        "forbidden": status == 403 and not shows,
        "login": status in (302, 303) and location.startswith(LOGIN_PAGES),
        "unauthenticated": status == 401 and not shows,
        "redirect": status in (302, 303)
        and bool(location)
        and not location.startswith(LOGIN_PAGES),
    }
    if checks[expected]:
        return None
    where = f" to {location}" if location else ""
    return f"expected {expected}, got {status}{where}" + (" showing the Jansens" if shows else "")


@pytest.fixture(scope="module")
def tokens(matrix_app: Any, world: SimpleNamespace) -> dict[str, dict[str, str]]:
    """A personal API token per professional, asking for every permission there is (the
    token can never do more than its user)."""
    permissions = sorted(matrix_app.extensions["openregie"].permissions)
    return {
        relation: personal_token(matrix_app, user, permissions, name=relation)
        for relation, user in vars(world.users).items()
    }


def _client_as(app: Any, world: SimpleNamespace, relation: str) -> Any:
    client = app.test_client()
    now = dt.datetime.now(dt.UTC).timestamp()
    user = getattr(world.users, relation, None)
    resident = getattr(world.residents, relation, None)
    with client.session_transaction() as cookie:
        if user is not None:
            cookie["user_id"] = str(user.id)
            cookie["session_version"] = user.session_version
            cookie["seen"] = now
        elif resident is not None:
            person_id, acting_for = resident
            cookie["resident_id"] = str(person_id)
            cookie["resident_for"] = str(acting_for)
            cookie["resident_method"] = "mock_digid"
            cookie["resident_idle"] = 15
            cookie["resident_home"] = "/mijn/"
            cookie["seen"] = now
    return client


def test_the_matrix_names_an_outcome_for_every_relation_in_every_profile():
    for name, profile in MATRIX["profiles"].items():
        assert sorted(profile) == sorted(RELATIONS), name
        assert set(profile.values()) <= OUTCOMES, name
    for rule, entry in MATRIX["routes"].items():
        assert entry["profile"] in MATRIX["profiles"], rule
        assert set(entry.get("audited", ())) <= {"anna", "tim", "acting"}, rule
    assert not set(MATRIX["routes"]) & set(MATRIX["public"])


def test_every_read_route_of_the_installation_is_in_the_matrix(make_app):
    """A new GET route (of core or of any installed module) fails here until someone
    decides, in the matrix, who may read it."""
    app = make_app(None)
    routes = {
        rule.rule
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods and rule.endpoint != "static"
    }
    listed = set(MATRIX["routes"]) | set(MATRIX["public"])
    assert sorted(routes - listed) == []
    assert sorted(listed - routes) == []  # nothing stale either


def test_the_check_tells_a_leak_from_a_refusal():
    assert mismatch("hidden", 404, "niet gevonden", "") is None
    assert mismatch("hidden", 403, "geen toegang", "") == "expected hidden, got 403"
    assert mismatch("denied", 404, "Anna Jansen", "") == (
        "expected denied, got 404 showing the Jansens"
    )
    assert mismatch("unlisted", 200, "Gezin Jansen", "") is not None
    assert mismatch("login", 302, "", "/auth/login?next=/start") is None
    assert mismatch("login", 302, "", "/elders") is not None
    assert mismatch("forbidden", 403, "Ingelogd als Anna Jansen", "", "Anna Jansen") is None


def _audited_since(app: Any, last: int) -> tuple[int, set[str]]:
    """The newest audit record id, and the data subjects recorded "ok" after `last`."""
    with app.extensions["openregie"].engine.connect() as connection:
        newest = connection.scalar(text("SELECT coalesce(max(id), 0) FROM core_audit_record"))
        subjects = connection.scalars(
            text(
                "SELECT data_subject_id FROM core_audit_record WHERE id > :last AND status = 'ok'"
            ),
            {"last": last},
        )
        return newest, set(subjects)


def _subjects(names: list[str], world: SimpleNamespace, relation: str) -> dict[str, str]:
    ids = {"anna": world.ids.person_id, "tim": world.ids.tim_id}
    resident = getattr(world.residents, relation, None)
    if resident is not None:
        ids["acting"] = resident[1]
    return {name: str(ids[name]) for name in names if name in ids}


@pytest.mark.parametrize("rule", sorted(MATRIX["routes"]))
def test_each_relation_gets_what_the_matrix_says_and_reads_are_audited(
    rule, matrix_app, world, tokens
):
    """The outcome per relation, and for every answer showing the Jansens' data an audit
    record for each data subject the route shows (`audited`)."""
    entry = MATRIX["routes"][rule]
    profile = MATRIX["profiles"][entry["profile"]]
    url = url_of(rule, world.ids, entry.get("query"))
    api = rule.startswith("/api/")
    wrong = {}
    last, _ = _audited_since(matrix_app, 0)
    for relation in RELATIONS:
        if api:
            client = matrix_app.test_client()
            headers = tokens.get(relation, {})
        else:
            client, headers = _client_as(matrix_app, world, relation), {}
        response = client.get(url, headers=headers)
        problem = mismatch(
            profile[relation],
            response.status_code,
            response.get_data(as_text=True),
            response.headers.get("Location", ""),
            world.own_names.get(relation, ""),
        )
        if problem:
            wrong[relation] = problem
        last, recorded = _audited_since(matrix_app, last)
        if not problem and profile[relation] in ("allow", "listed"):
            expected = _subjects(entry.get("audited", []), world, relation)
            missing = sorted(name for name, subject in expected.items() if subject not in recorded)
            if missing:
                wrong[relation] = f"shown but not audited: {', '.join(missing)}"
    assert not wrong, "\n".join([url, *(f"  {r}: {w}" for r, w in wrong.items())])


@pytest.mark.parametrize("rule", sorted(MATRIX["public"]))
def test_public_routes_answer_nobody_without_a_server_error(rule, matrix_app, world):
    response = matrix_app.test_client().get(url_of(rule, world.ids))
    assert response.status_code < 500
    assert not any(marker in response.get_data(as_text=True) for marker in MARKERS)
