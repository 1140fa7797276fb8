"""The JSON API of the registry (`/api/v1/core`) and the one OpenAPI 3.1 document: need-to-know
for API clients bound to a municipality, audit per person, optimistic locking, input errors
that name the field, and a module's `APIBlueprint` joining the document."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass

import pytest
from sqlalchemy import select

from openregie_core.auth.tokens import create_client
from openregie_core.models import AuditRecord
from openregie_sdk.registry import Household, HouseholdMember, Municipality, Person

MANAGE = ("core.person.read", "core.registry.manage")
DOC_ENDPOINTS = re.compile(r"^(openapi|swagger)\.")

MODULE_API = """\
from flask_openapi3 import APIBlueprint
from flask_openapi3.request import validate_request
from pydantic import BaseModel

from openregie_sdk import requires

blueprint = APIBlueprint("{pkg}", __name__)


class ThingIn(BaseModel):
    name: str


class ThingOut(BaseModel):
    name: str
    count: int


@blueprint.post("/things", responses={201: ThingOut})
@requires("{module_id}.thing.write")
@validate_request()
def add_thing(body: ThingIn):
    return {"name": body.name, "count": 1}, 201
"""


@dataclass
class World:
    zutphen: Municipality
    lochem: Municipality
    zutphen_people: list[Person]  # one household, both in Zutphen
    lochem_person: Person  # in the same household, living in Lochem
    household: Household


def _person(db, name: str, municipality: Municipality, bsn: str | None = None) -> Person:
    person = Person(
        voornamen="Test",
        geslachtsnaam=name,
        search_name=name.lower(),
        bsn=bsn,
        birth_date=dt.date(1990, 1, 1),
        postcode="7201AB",
        house_number=len(name),
        city="Zutphen",
        municipality_id=municipality.id,
    )
    db.add(person)
    return person


@pytest.fixture
def world(db) -> World:
    zutphen = Municipality(cbs_code="GM0301", name="Zutphen")
    lochem = Municipality(cbs_code="GM0262", name="Lochem")
    db.add_all([zutphen, lochem])
    db.flush()
    people = [_person(db, "Aalders", zutphen, "111222333"), _person(db, "Aalberts", zutphen)]
    away = _person(db, "Bakker", lochem, "123456782")
    household = Household(name="Gezin Aalders")
    db.add(household)
    db.flush()
    for person in [*people, away]:
        db.add(
            HouseholdMember(
                household_id=household.id,
                person_id=person.id,
                role="parent",
                start_on=dt.date(2020, 1, 1),
            )
        )
    db.commit()
    return World(zutphen, lochem, people, away, household)


@pytest.fixture
def bearer(app, db):
    """`bearer(scopes, municipality=None)`: the Authorization header of a new API client."""

    def issue(scopes=MANAGE, municipality: Municipality | None = None) -> dict[str, str]:
        _, token = create_client(
            db,
            name="Koppeling",
            scopes=scopes,
            known_permissions=app.extensions["openregie"].permissions,
            municipality_id=municipality.id if municipality else None,
        )
        return {"Authorization": f"Bearer {token}"}

    return issue


@pytest.fixture
def api(app):
    return app.test_client()


def _audit(db, activity: str) -> list[AuditRecord]:
    db.expire_all()
    return list(
        db.scalars(
            select(AuditRecord)
            .where(AuditRecord.processing_activity == activity)
            .order_by(AuditRecord.id)
        )
    )


def _fields(response) -> list[str]:
    return [problem["field"] for problem in response.get_json()["error"]["fields"]]


# -- the document and the docs page -------------------------------------------------------


def _api_routes(app) -> set[tuple[str, str]]:
    """(OpenAPI path, method) of every /api/v1 route in the URL map, docs excluded."""
    routes = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1/") and not DOC_ENDPOINTS.match(rule.endpoint):
            path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
            routes |= {(path, m.lower()) for m in rule.methods - {"HEAD", "OPTIONS"}}
    return routes


def _operations(document) -> set[tuple[str, str]]:
    return {(path, method) for path, item in document["paths"].items() for method in item}


def test_the_document_is_openapi_3_1_and_describes_every_api_route(app, api):
    response = api.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.get_json()
    assert document["openapi"].startswith("3.1.")
    assert document["info"]["title"] == "OpenRegie API"
    assert document["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    routes = _api_routes(app)
    assert ("/api/v1/core/persons/{person_id}", "patch") in routes
    assert _operations(document) == routes
    paths = document["paths"]
    for path, method in routes:
        operation = paths[path][method]
        assert operation["security"] == [{"bearer": []}]
        # a POST that creates answers 201; one that performs a step (a transition) 200
        answers = operation["responses"]
        success = "201" if method == "post" and "201" in answers else "200"
        assert answers[success]["content"]
        assert "$ref" in operation["responses"]["400"]["content"]["application/json"]["schema"]
    schemas = document["components"]["schemas"]
    create = paths["/api/v1/core/persons"]["post"]["requestBody"]["content"]["application/json"]
    assert create["schema"]["$ref"].endswith("/PersonIn")
    change = paths["/api/v1/core/persons/{person_id}"]["patch"]["requestBody"]["content"]
    assert change["application/json"]["schema"]["$ref"].endswith("/PersonChange")
    assert "version" in schemas["PersonChange"]["required"]
    assert {"id", "version", "address", "municipality_id"} <= set(
        schemas["PersonOut"]["properties"]
    )
    assert "search_name" not in schemas["PersonOut"]["properties"]
    assert {"items", "next_page"} <= set(schemas["PersonPage"]["properties"])
    assert "fields" in schemas["Problem"]["properties"]
    search = {p["name"] for p in paths["/api/v1/core/persons"]["get"]["parameters"]}
    assert search == {"bsn", "name", "birth_date", "postcode", "house_number", "page"}


def test_the_docs_page_works_offline(api):
    page = api.get("/api/v1/swagger")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "swagger-ui" in html
    assert not re.search(r"(https?:)?//", html)
    assert "<script>" not in html  # no inline script: CSP script-src stays 'self'
    csp = page.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src" not in csp
    for asset in re.findall(r'(?:src|href)="([^"]+)"', html):
        url = asset if asset.startswith("/") else f"/api/v1/{asset}"
        assert api.get(url).status_code == 200, url
    index = api.get("/api/v1/")
    assert index.status_code == 200 and not re.search(r"https?:", index.get_data(as_text=True))
    # Only the docs page has the relaxed policy.
    assert "unsafe-inline" not in api.get("/api/v1/openapi.json").headers["Content-Security-Policy"]


def test_a_modules_api_blueprint_joins_the_one_document(add_module, new_id, make_app, db):
    module_id = new_id("things")
    add_module(
        module_id,
        raw={
            "blueprints": (
                f"(BlueprintRef(target='{{pkg}}.views:blueprint', "
                f"url_prefix='/api/v1/{module_id}'),)"
            ),
            "permissions": f"(Permission(name='{module_id}.thing.write', title='Write'),)",
        },
        files={"views.py": MODULE_API.replace("{module_id}", module_id)},
    )
    app = make_app([module_id])
    document = app.test_client().get("/api/v1/openapi.json").get_json()
    assert _operations(document) == _api_routes(app)
    operation = document["paths"][f"/api/v1/{module_id}/things"]["post"]
    assert operation["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/ThingIn"
    )
    assert "ThingOut" in document["components"]["schemas"]
    assert ("/api/v1/core/persons", "get") in _operations(document)

    with app.app_context():
        session = app.extensions["openregie"].session_factory()
        _, token = create_client(
            session,
            name="Koppeling",
            scopes=[f"{module_id}.thing.write"],
            known_permissions=app.extensions["openregie"].permissions,
        )
        session.close()
    api = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    added = api.post(f"/api/v1/{module_id}/things", json={"name": "fiets"}, headers=headers)
    assert added.status_code == 201 and added.get_json() == {"name": "fiets", "count": 1}
    bad = api.post(f"/api/v1/{module_id}/things", json={}, headers=headers)
    assert bad.status_code == 400 and _fields(bad) == ["name"]
    assert api.post(f"/api/v1/{module_id}/things", json={}).status_code == 401


# -- authentication ------------------------------------------------------------------------


def test_anonymous_callers_get_a_401_json_error_even_with_bad_input(api, world):
    for response in (
        api.get("/api/v1/core/persons?name=Aa"),
        api.get(f"/api/v1/core/persons/{world.zutphen_people[0].id}"),
        api.post("/api/v1/core/persons", json={"bsn": "1"}),
        api.patch(f"/api/v1/core/persons/{world.zutphen_people[0].id}", json={}),
        api.get(f"/api/v1/core/households/{world.household.id}"),
    ):
        assert response.status_code == 401
        assert response.get_json()["error"]["status"] == 401
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_scopes_apply_a_read_only_client_may_not_register(api, bearer, world):
    headers = bearer(("core.person.read",), world.zutphen)
    response = api.post("/api/v1/core/persons", json={"voornamen": "A"}, headers=headers)
    assert response.status_code == 403 and response.get_json()["error"]["status"] == 403


# -- reading -------------------------------------------------------------------------------


def test_search_shows_only_visible_persons_and_audits_each(api, bearer, db, world):
    headers = bearer(MANAGE, world.zutphen)
    response = api.get("/api/v1/core/persons?name=aal", headers=headers)
    assert response.status_code == 200
    body = response.get_json()
    assert [p["geslachtsnaam"] for p in body["items"]] == ["Aalberts", "Aalders"]
    assert body["page"] == 1 and body["next_page"] is None
    first = body["items"][1]
    assert first["bsn"] == "111222333" and first["version"] == 1
    assert first["address"]["postcode"] == "7201AB"
    assert first["municipality_id"] == str(world.zutphen.id)
    assert "search_name" not in first and "created_at" not in first
    searched = _audit(db, "core.person.search")
    assert sorted(r.data_subject_id for r in searched) == sorted(
        str(p.id) for p in world.zutphen_people
    )
    assert all(r.action == "search" and r.status == "ok" for r in searched)

    # Lochem's resident is not found by a Zutphen client, not even by BSN.
    by_bsn = api.get("/api/v1/core/persons?bsn=123456782", headers=headers).get_json()
    assert by_bsn["items"] == []
    other = bearer(MANAGE, world.lochem)
    found = api.get("/api/v1/core/persons?bsn=1234-567-82", headers=other).get_json()
    assert [p["geslachtsnaam"] for p in found["items"]] == ["Bakker"]


def test_search_pages_through_results(api, bearer, db, world):
    for index in range(26):
        _person(db, f"Aap{index:02d}", world.zutphen)
    db.commit()
    headers = bearer(MANAGE, world.zutphen)
    first = api.get("/api/v1/core/persons?name=aap", headers=headers).get_json()
    assert len(first["items"]) == 25 and first["next_page"] == 2
    second = api.get("/api/v1/core/persons?name=aap&page=2", headers=headers).get_json()
    assert [p["geslachtsnaam"] for p in second["items"]] == ["Aap25"]
    assert second["next_page"] is None


def test_search_needs_a_criterion_and_valid_criteria(api, bearer, world):
    headers = bearer(MANAGE, world.zutphen)
    response = api.get("/api/v1/core/persons", headers=headers)
    assert response.status_code == 400 and _fields(response) == ["query"]
    assert "at least one of bsn, name" in response.get_json()["error"]["fields"][0]["message"]
    response = api.get("/api/v1/core/persons?birth_date=gisteren&page=0", headers=headers)
    assert response.status_code == 400
    assert sorted(_fields(response)) == ["birth_date", "page"]
    # A number is no date (pydantic alone would read it as a timestamp: found by the fuzzer).
    for number in ("0.0", "1700000000"):
        response = api.get(f"/api/v1/core/persons?birth_date={number}", headers=headers)
        assert response.status_code == 400 and _fields(response) == ["birth_date"]
    ok = api.get("/api/v1/core/persons?birth_date=1984-03-02", headers=headers)
    assert ok.status_code == 200


def test_detail_is_404_unless_visible_and_is_audited(api, bearer, db, world):
    headers = bearer(MANAGE, world.zutphen)
    person = world.zutphen_people[0]
    response = api.get(f"/api/v1/core/persons/{person.id}", headers=headers)
    assert response.status_code == 200 and response.get_json()["id"] == str(person.id)
    assert [r.data_subject_id for r in _audit(db, "core.person.view")] == [str(person.id)]
    hidden = api.get(f"/api/v1/core/persons/{world.lochem_person.id}", headers=headers)
    absent = api.get(f"/api/v1/core/persons/{uuid.uuid4()}", headers=headers)
    assert hidden.status_code == absent.status_code == 404
    assert hidden.get_json() == absent.get_json()
    assert api.get("/api/v1/core/persons/not-a-uuid", headers=headers).status_code == 404


def test_household_shows_visible_members_only(api, bearer, db, world):
    response = api.get(
        f"/api/v1/core/households/{world.household.id}", headers=bearer(MANAGE, world.zutphen)
    )
    assert response.status_code == 200
    body = response.get_json()
    assert body["name"] == "Gezin Aalders"
    members = body["members"]
    assert sorted(m["person"]["geslachtsnaam"] for m in members) == ["Aalberts", "Aalders"]
    assert members[0]["role"] == "parent" and members[0]["start_on"] == "2020-01-01"
    assert members[0]["end_on"] is None
    audited = _audit(db, "core.household.view")
    assert sorted(r.data_subject_id for r in audited) == sorted(
        str(p.id) for p in world.zutphen_people
    )
    lochem = api.get(
        f"/api/v1/core/households/{world.household.id}", headers=bearer(MANAGE, world.lochem)
    )
    assert [m["person"]["geslachtsnaam"] for m in lochem.get_json()["members"]] == ["Bakker"]


def test_household_is_404_when_no_member_is_visible(api, bearer, db, world):
    elsewhere = Municipality(cbs_code="GM0200", name="Apeldoorn")
    db.add(elsewhere)
    db.commit()
    headers = bearer(MANAGE, elsewhere)
    hidden = api.get(f"/api/v1/core/households/{world.household.id}", headers=headers)
    absent = api.get(f"/api/v1/core/households/{uuid.uuid4()}", headers=headers)
    assert hidden.status_code == absent.status_code == 404
    assert hidden.get_json() == absent.get_json()
    assert _audit(db, "core.household.view") == []


# -- registering and changing --------------------------------------------------------------


def _new_person(world: World, **fields) -> dict:
    return {
        "bsn": "999990019",
        "voornamen": "Fenna",
        "geslachtsnaam": "de Vries",
        "birth_date": "1985-03-04",
        "postcode": "7201 CD",
        "house_number": 12,
        "municipality_id": str(world.zutphen.id),
        **fields,
    }


def test_create_registers_a_person_and_audits_it(api, bearer, db, world):
    headers = bearer(MANAGE, world.zutphen)
    response = api.post("/api/v1/core/persons", json=_new_person(world), headers=headers)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["version"] == 1 and body["address"]["postcode"] == "7201CD"
    stored = db.get(Person, uuid.UUID(body["id"]))
    assert stored.bsn == "999990019" and stored.search_name == "de vries"
    assert [r.data_subject_id for r in _audit(db, "core.registry.manage")] == [body["id"]]
    again = api.post("/api/v1/core/persons", json=_new_person(world), headers=headers)
    assert again.status_code == 400 and _fields(again) == ["bsn"]


@pytest.mark.parametrize(
    ("fields", "named"),
    [
        ({"bsn": "123456789"}, ["bsn"]),
        ({"voornamen": "", "postcode": "72011"}, ["voornamen", "postcode"]),
        ({"kleur": "blauw"}, ["kleur"]),
        ({"municipality_id": None, "house_number": 0}, ["house_number"]),
    ],
)
def test_create_refuses_bad_input_naming_each_field(api, bearer, db, world, fields, named):
    headers = bearer(MANAGE)
    response = api.post("/api/v1/core/persons", json=_new_person(world, **fields), headers=headers)
    assert response.status_code == 400
    assert sorted(_fields(response)) == sorted(named)
    problems = response.get_json()["error"]["fields"]
    assert all(p["message"] for p in problems)
    if "kleur" in named:
        assert problems[0]["message"] == "is geen bekend veld"
    assert db.scalar(select(Person).where(Person.geslachtsnaam == "de Vries")) is None


def test_create_needs_the_registry_of_the_persons_municipality(api, bearer, db, world):
    headers = bearer(MANAGE, world.zutphen)
    for municipality_id in (str(world.lochem.id), None):
        data = _new_person(world, municipality_id=municipality_id)
        response = api.post("/api/v1/core/persons", json=data, headers=headers)
        assert response.status_code == 403 and _fields(response) == ["municipality_id"]
    everywhere = bearer(MANAGE)
    unknown = _new_person(world, municipality_id=str(uuid.uuid4()))
    response = api.post("/api/v1/core/persons", json=unknown, headers=everywhere)
    assert response.status_code == 400 and _fields(response) == ["municipality_id"]


def test_change_updates_given_fields_and_refuses_a_stale_version(api, bearer, db, world):
    headers = bearer(MANAGE, world.zutphen)
    person = world.zutphen_people[0]
    url = f"/api/v1/core/persons/{person.id}"
    response = api.patch(
        url, json={"version": 1, "street": "Markt", "phone": "0575 123456"}, headers=headers
    )
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["version"] == 2 and body["address"]["street"] == "Markt"
    assert body["geslachtsnaam"] == "Aalders" and body["bsn"] == "111222333"
    assert [r.action for r in _audit(db, "core.registry.manage")] == ["update"]

    stale = api.patch(url, json={"version": 1, "street": "Plein"}, headers=headers)
    assert stale.status_code == 409 and _fields(stale) == ["version"]
    assert stale.get_json()["error"]["detail"] == (
        "version: de persoon is intussen door iemand anders gewijzigd (nu versie 2); laad "
        "opnieuw en probeer het nog eens"
    )
    english = api.patch(
        url, json={"version": 1, "street": "Plein"}, headers={**headers, "Accept-Language": "en"}
    )
    assert english.status_code == 409
    assert english.get_json()["error"]["detail"] == (
        "version: the person was changed by someone else (now at version 2); reload and try again"
    )
    db.expire_all()
    assert db.get(Person, person.id).street == "Markt"


def test_change_refuses_bad_input_and_invisible_persons(api, bearer, db, world):
    headers = bearer(MANAGE, world.zutphen)
    url = f"/api/v1/core/persons/{world.zutphen_people[0].id}"
    for data, named in (
        ({"street": "Markt"}, ["version"]),
        ({"version": 1, "bsn": "123456789"}, ["bsn"]),
        ({"version": 1, "geslachtsnaam": None}, ["geslachtsnaam"]),
        ({"version": 1, "hobby": "zeilen"}, ["hobby"]),
        ({"version": 1, "bsn": "123456782"}, ["bsn"]),  # Bakker's
        ({"version": 1, "municipality_id": str(world.lochem.id)}, ["municipality_id"]),
    ):
        response = api.patch(url, json=data, headers=headers)
        assert response.status_code in (400, 403), (data, response.get_json())
        assert _fields(response) == named, data
    db.expire_all()
    assert db.get(Person, world.zutphen_people[0].id).version == 1
    hidden = api.patch(
        f"/api/v1/core/persons/{world.lochem_person.id}", json={"version": 1}, headers=headers
    )
    assert hidden.status_code == 404
