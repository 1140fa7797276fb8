"""The world the authorisation matrix is checked against, built once per test module on an
installation with case management, consent, the portal and reporting.

Zutphen (area Centrum) is served by teams Noord and Zuid; Deventer (area West) by team
Oost. Household Jansen (Anna, parent; Tim, 12) has one case in team Noord, managed by Mira,
with a plan, a contact moment and a document shared with the residents, a note and an
allocation. Piet, Tim's father, lives elsewhere and has parental authority over him;
Karel de Vries is a resident with nothing to do with the Jansens. Every actor of the
matrix (`RELATIONS` in test_authorisation_matrix.py) is one user or resident here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import select

from openregie_sdk.registry import (
    Area,
    Household,
    HouseholdMember,
    LegalRepresentation,
    Membership,
    Municipality,
    Organisation,
    Person,
    Team,
)
from openregie_sdk.testing.databases import TestDatabases
from openregie_sdk.testing.plugin import (
    _entry_points,
    _settings,
    create_test_user,
    migrate_database,
)

MODULES = ["casemanagement", "consent", "portal", "reporting"]
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
SINCE = dt.date(2020, 1, 1)
CASE_TITLE = "Zorgen om Tim"
# What only the Jansens' data contains: a response that must not show it holds none of these
# (a resident's own name, which their pages show, does not count).
MARKERS = ("Jansen", CASE_TITLE)


@pytest.fixture(scope="module")
def matrix_app(
    openregie_databases: TestDatabases, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Any]:
    """One application over one database for the whole module: the matrix only reads."""
    from openregie_core.app import create_app

    instance = tmp_path_factory.mktemp("matrix-instance")
    key = (repr(MODULES), repr([]), _entry_points())
    url = openregie_databases.migrated(
        key,
        lambda url: migrate_database(_settings(instance, url, MODULES, {"strict_modules": False})),
    )
    app = create_app(_settings(instance, url, MODULES, {}))
    app.config["TESTING"] = True
    try:
        yield app
    finally:
        runtime = app.extensions["openregie"]
        with app.app_context():
            runtime.close_cli_session(failed=True)
        runtime.engine.dispose()
        openregie_databases.drop(url)


def _person(db: Any, first: str, last: str, born: dt.date, municipality: Municipality) -> Person:
    person = Person(
        voornamen=first,
        geslachtsnaam=last,
        search_name=last.lower(),
        birth_date=born,
        municipality_id=municipality.id,
    )
    db.add(person)
    db.flush()
    return person


def _household(db: Any, name: str, members: list[tuple[Person, str]]) -> Household:
    household = Household(name=name)
    db.add(household)
    db.flush()
    for person, role in members:
        db.add(
            HouseholdMember(
                household_id=household.id, person_id=person.id, role=role, start_on=SINCE
            )
        )
    return household


@pytest.fixture(scope="module")
def world(matrix_app: Any) -> SimpleNamespace:
    return build_world(matrix_app)


@pytest.fixture
def world_in() -> Callable[[Any], SimpleNamespace]:
    """`world_in(app)` builds the same world in another application (a fresh one per test,
    for tests that write)."""
    return build_world


def build_world(app: Any) -> SimpleNamespace:
    """Build the world described at the top of this file in `app`'s (migrated, empty)
    database; returns its users, residents and ids."""
    from openregie_casemanagement.models import Case, CasePerson, Involvement
    from openregie_casemanagement.services import allocations, plan, records
    from openregie_core.models import Role
    from openregie_portal.models import PortalCorrection
    from openregie_reporting.models import FormationNorm
    from openregie_sdk import capability

    runtime = app.extensions["openregie"]
    with app.app_context():
        db = runtime.session()
        zutphen = Municipality(cbs_code="GM0301", name="Zutphen")
        deventer = Municipality(cbs_code="GM0150", name="Deventer")
        db.add_all([zutphen, deventer])
        db.flush()
        centrum = Area(municipality_id=zutphen.id, name="Centrum")
        west = Area(municipality_id=deventer.id, name="West")
        noord = Team(name="Noord", kind="integral")
        zuid = Team(name="Zuid", kind="integral")
        oost = Team(name="Oost", kind="integral")
        noord.areas.append(centrum)
        zuid.areas.append(centrum)
        oost.areas.append(west)
        wijkteam, jeugdzorg, school, ggd = (
            Organisation(name=name) for name in ("Wijkteam", "Jeugdzorg", "School", "GGD")
        )
        db.add_all([centrum, west, noord, zuid, oost, wijkteam, jeugdzorg, school, ggd])
        db.commit()  # users are created through sessions of their own

        def member(team: Team, home: Organisation, name: str, role: str = "professional") -> Any:
            user = create_test_user(app, "professional", roles=[], display_name=name)
            db.add(
                Membership(
                    user_id=user.id,
                    team_id=team.id,
                    role=role,
                    home_organisation_id=home.id,
                    start_on=SINCE,
                )
            )
            db.commit()
            return user

        users = SimpleNamespace(
            manager=member(noord, wijkteam, "Mira Regie"),
            own_team=member(noord, wijkteam, "Cees Collega"),
            other_team_same_org=member(zuid, wijkteam, "Otto Zuid"),
            other_organisation=member(oost, jeugdzorg, "Olga Oost"),
            involved_professional=member(zuid, jeugdzorg, "Sanne Jeugdzorg"),
            consent_missing=member(zuid, school, "Sam School"),
            consent_withdrawn=member(zuid, ggd, "Wim GGD"),
            policy_officer=create_test_user(app, "policy_officer", display_name="Bea Beleid"),
            admin_other_municipality=create_test_user(
                app,
                "functional_admin",
                roles=[("functional_admin", deventer.id)],
                display_name="Ad Deventer",
            ),
        )

        anna = _person(db, "Anna", "Jansen", dt.date(1985, 3, 1), zutphen)
        tim = _person(db, "Tim", "Jansen", dt.date(2014, 6, 1), zutphen)
        piet = _person(db, "Piet", "Bakker", dt.date(1983, 9, 9), zutphen)
        karel = _person(db, "Karel", "de Vries", dt.date(1970, 1, 1), zutphen)
        household = _household(db, "Gezin Jansen", [(anna, "parent"), (tim, "child")])
        _household(db, "Huishouden De Vries", [(karel, "parent")])
        _household(db, "Huishouden Bakker", [(piet, "parent")])
        for parent in (anna, piet):
            db.add(
                LegalRepresentation(
                    representative_id=parent.id,
                    represented_id=tim.id,
                    kind="parental_authority",
                    start_on=tim.birth_date,
                )
            )
        case = Case(
            household_id=household.id,
            team_id=noord.id,
            case_manager_id=users.manager.id,
            title=CASE_TITLE,
            status="uitvoering",
            opened_on=dt.date.today() - dt.timedelta(days=30),
            evaluation_due_on=dt.date.today(),
        )
        db.add(case)
        db.flush()
        db.add_all([CasePerson(case_id=case.id, person_id=p.id) for p in (anna, tim)])
        for user, name in (
            (users.involved_professional, "Sanne Jeugdzorg"),
            (users.consent_missing, "Sam School"),
            (users.consent_withdrawn, "Wim GGD"),
        ):
            db.add(
                Involvement(
                    case_id=case.id, kind="professional", user_id=user.id, name=name, role="IB"
                )
            )
        db.commit()

        manager = runtime.actor_for_user(users.manager)
        goal = plan.add_goal(case.id, manager, life_domain="finances", text="Rust in de financiën.")
        action = plan.add_action(goal.id, manager, description="Post sorteren.")
        db.commit()
        agreed = plan.agree_plan(
            case.id,
            manager,
            expected_version=plan.plan_of(case).version,
            agreed_on=dt.date.today(),
            family_person_ids=[anna.id],
        )
        records.add_contact_moment(
            manager,
            case.id,
            occurred_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=2),
            channel="home_visit",
            participants="Anna Jansen, Mira Regie",
            summary="Kennismaking thuis.",
            visible_to_resident=True,
        )
        records.add_note(manager, case.id, text="Eerste indruk.", confidentiality="all_involved")
        document = records.upload_document(
            manager, case.id, filename="plan.pdf", content=PDF, shared_with_resident=True
        )
        allocation = allocations.create_allocation(
            manager,
            case.id,
            person_id=tim.id,
            law="jeugdwet",
            product_category="jeugdhulp_ambulant",
            product_code="45a48",
            provider_name="Stichting Jeugdhulp",
            provider_agb="98100215",
            volume="4",
            unit="hour",
            frequency="week",
            requested_on=dt.date.today() - dt.timedelta(days=20),
        )
        case.evaluation_due_on = dt.date.today()  # on the evaluations worklist
        db.add(
            PortalCorrection(
                person_id=anna.id,
                proposed_by_person_id=anna.id,
                field="address",
                proposal="Mijn nummer is veranderd.",
            )
        )
        db.add(
            FormationNorm(
                team_id=noord.id,
                organisation_id=wijkteam.id,
                hours_per_week=Decimal("36"),
                set_by="Ad Beheer",
            )
        )
        db.commit()

        consent = capability("consent")
        given = None
        for organisation, status in ((jeugdzorg, "given"), (ggd, "given"), (ggd, "withdrawn")):
            for subject, by in ((anna, [anna.id]), (tim, [tim.id, anna.id])):
                view = consent.record(
                    subject.id,
                    purpose="team_partner",
                    recipient_id=organisation.id,
                    recipient_kind="organisation",
                    status=status,
                    given_by_person_ids=by if status != "withdrawn" else [anna.id],
                    obtained="written",
                    recorded_by_user_id=users.manager.id,
                    evidence=("toestemming.pdf", PDF) if status == "given" else None,
                )
                if given is None:
                    given = view
        db.commit()
        norm_id = db.scalar(select(FormationNorm.id))
        role_id = db.scalar(select(Role.id).where(Role.name == "professional"))
        ids = SimpleNamespace(
            case_id=case.id,
            document_id=document.id,
            goal_id=goal.id,
            action_id=action.id,
            allocation_id=allocation.id,
            number=agreed.number,
            person_id=anna.id,
            tim_id=tim.id,
            household_id=household.id,
            consent_id=given.id,
            organisation_id=jeugdzorg.id,
            norm_id=norm_id,
            user_id=users.own_team.id,
            role_id=role_id,
            module_id="consent",
            auth_id="mock_digid",
            fmt="csv",
            filename="missing.css",
        )
        runtime.close_cli_session()
    return SimpleNamespace(
        users=users,
        residents=SimpleNamespace(
            resident_self=(anna.id, anna.id),
            legal_representative=(piet.id, tim.id),
            other_resident=(karel.id, karel.id),
        ),
        own_names={"resident_self": "Anna Jansen"},
        ids=ids,
    )
