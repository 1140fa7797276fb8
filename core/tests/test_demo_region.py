"""The demo region: three municipalities in one installation, six teams (one across two
municipalities), eight organisations, ~2,000 residents in ~800 households with valid BSNs
and postcodes, legal representation, demo accounts with sensible scopes; idempotent and
the same for the same seed."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from sqlalchemy import func, select

from openregie_core.demo import seed
from openregie_core.demo_region import AREAS
from openregie_core.models import Role, RoleAssignment, User
from openregie_core.registry.checks import check_postcode, is_valid_bsn
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
    team_area,
)

TODAY = dt.date.today()


@pytest.fixture
def seeded(app, db):
    """The demo seeded once into the test app's database (all first-party modules)."""
    problems = seed(app.extensions["openregie"], 262, lambda message: None)
    assert problems == []
    return db


def count(db, model: type) -> int:
    return db.scalar(select(func.count()).select_from(model))


def test_three_municipalities_with_their_areas(seeded):
    db = seeded
    names = dict(db.execute(select(Municipality.cbs_code, Municipality.name)).all())
    assert names == {"GM0301": "Zutphen", "GM0262": "Lochem", "GM0213": "Brummen"}
    per_municipality = Counter(
        db.scalars(
            select(Municipality.cbs_code).join(Area, Area.municipality_id == Municipality.id)
        )
    )
    assert per_municipality == {code: len(specs) for code, specs in AREAS.items()}


def test_six_teams_of_every_kind_one_across_two_municipalities(seeded):
    db = seeded
    kinds = Counter(db.scalars(select(Team.kind)))
    assert kinds == {"integral": 2, "youth_family": 2, "adults": 2}
    spans = db.execute(
        select(Team.name, func.count(func.distinct(Area.municipality_id)))
        .join(team_area, team_area.c.team_id == Team.id)
        .join(Area, Area.id == team_area.c.area_id)
        .group_by(Team.name)
    ).all()
    assert len(spans) == 6
    assert [name for name, municipalities in spans if municipalities == 2] == [
        "Jeugd- en Gezinsteam Lochem-Brummen"
    ]


def test_eight_organisations_some_with_agb_codes(seeded):
    db = seeded
    organisations = db.execute(select(Organisation.name, Organisation.agb_code)).all()
    assert len(organisations) == 8
    codes = [code for _, code in organisations if code]
    assert 0 < len(codes) < 8 and all(len(c) == 8 and c.isdigit() for c in codes)
    assert "Gemeente Zutphen" in {name for name, _ in organisations}


def test_about_2000_residents_in_about_800_households_with_valid_data(seeded):
    db = seeded
    assert 1900 <= count(db, Person) <= 2100
    assert 760 <= count(db, Household) <= 840
    people = db.execute(
        select(
            Person.bsn,
            Person.postcode,
            Person.birth_date,
            Person.search_name,
            Municipality.cbs_code,
        ).join(Municipality, Municipality.id == Person.municipality_id)
    ).all()
    bsns = [bsn for bsn, *_ in people if bsn]
    assert len(bsns) == len(set(bsns)) > 1900
    assert all(is_valid_bsn(bsn) and bsn.startswith("99") for bsn in bsns)
    digits = {code: {d for spec in specs for d, _ in spec.places} for code, specs in AREAS.items()}
    for _, postcode, birth_date, search_name, code in people:
        assert check_postcode(postcode) == postcode
        assert postcode[:4] in digits[code], (postcode, code)  # in the right municipality
        assert dt.date(1900, 1, 1) <= birth_date <= TODAY
        assert search_name == search_name.lower()
    assert {voorvoegsel for voorvoegsel in db.scalars(select(Person.voorvoegsel))} >= {
        "van",
        "de",
        "van der",
        None,
    }


def test_households_change_over_time_and_children_live_in_two(seeded):
    db = seeded
    current = (HouseholdMember.start_on <= TODAY) & (
        HouseholdMember.end_on.is_(None) | (HouseholdMember.end_on > TODAY)
    )
    two_homes = db.execute(
        select(HouseholdMember.person_id)
        .where(current, HouseholdMember.role == "child")
        .group_by(HouseholdMember.person_id)
        .having(func.count() == 2)
    ).all()
    assert len(two_homes) >= 20
    assert db.scalar(select(func.count()).where(HouseholdMember.end_on.is_not(None))) >= 20
    roles = set(db.scalars(select(HouseholdMember.role)))
    assert roles == {"parent", "child", "partner", "carer", "other"}
    bad_periods = select(func.count()).where(HouseholdMember.end_on <= HouseholdMember.start_on)
    assert db.scalar(bad_periods) == 0


def test_legal_representation_of_minors_and_adults(seeded):
    db = seeded
    kinds = Counter(db.scalars(select(LegalRepresentation.kind)))
    assert kinds["parental_authority"] > 500
    assert kinds["guardianship"] > 0 and kinds["curatele"] > 0
    assert kinds["bewindvoering"] >= 5 and kinds["mentorship"] >= 3
    represented = db.execute(
        select(
            LegalRepresentation.kind,
            LegalRepresentation.start_on,
            LegalRepresentation.end_on,
            Person.birth_date,
        ).join(Person, Person.id == LegalRepresentation.represented_id)
    ).all()
    for kind, start_on, end_on, birth_date in represented:
        adult_on = (
            birth_date.replace(year=birth_date.year + 18)
            if (birth_date.month, birth_date.day) != (2, 29)
            else dt.date(birth_date.year + 18, 2, 28)
        )
        if kind in ("parental_authority", "guardianship"):
            assert start_on >= birth_date and start_on < adult_on
            assert end_on is None if adult_on > TODAY else end_on == adult_on
        else:
            assert start_on >= adult_on and start_on <= TODAY
    self_represented = select(func.count()).where(
        LegalRepresentation.representative_id == LegalRepresentation.represented_id
    )
    assert db.scalar(self_represented) == 0


def test_demo_accounts_have_scoped_roles_and_team_memberships(seeded):
    db = seeded
    users = dict(db.execute(select(User.username, User.id)).all())
    assert set(users) == {"beheerder", "teamleider", "regisseur", "beleid"}
    scoped = db.execute(
        select(User.username, Role.name, Municipality.cbs_code)
        .join(RoleAssignment, RoleAssignment.user_id == User.id)
        .join(Role, Role.id == RoleAssignment.role_id)
        .outerjoin(Municipality, Municipality.id == RoleAssignment.municipality_id)
    ).all()
    assert sorted(scoped) == [
        ("beheerder", "functional_admin", "GM0301"),
        ("beleid", "policy_officer", "GM0262"),
        ("beleid", "policy_officer", "GM0301"),
    ]
    memberships = db.execute(
        select(
            User.username, Team.name, Membership.role, Organisation.name, Membership.hours_per_week
        )
        .join(User, User.id == Membership.user_id)
        .join(Team, Team.id == Membership.team_id)
        .join(Organisation, Organisation.id == Membership.home_organisation_id)
    ).all()
    assert sorted((u, t, r, o, int(h)) for u, t, r, o, h in memberships) == [
        (
            "regisseur",
            "Jeugd- en Gezinsteam Lochem-Brummen",
            "professional",
            "Welzijn IJssel en Berkel",
            8,
        ),
        (
            "regisseur",
            "Sociaal Wijkteam Zutphen-Noord",
            "professional",
            "Welzijn IJssel en Berkel",
            18,
        ),
        ("teamleider", "Sociaal Wijkteam Zutphen-Noord", "team_lead", "Gemeente Zutphen", 32),
    ]


def test_seeding_again_adds_nothing(app, seeded):
    db = seeded
    models = (
        Municipality,
        Area,
        Team,
        Organisation,
        Person,
        Household,
        HouseholdMember,
        LegalRepresentation,
        Membership,
        User,
        RoleAssignment,
    )
    before = {model.__name__: count(db, model) for model in models}
    assert seed(app.extensions["openregie"], 262, lambda message: None) == []
    db.expire_all()
    assert {model.__name__: count(db, model) for model in models} == before


def test_the_same_seed_gives_the_same_residents(app, seeded, make_app):
    other = make_app([])  # a second, empty installation (core only)
    runtime = other.extensions["openregie"]
    with other.app_context():
        assert seed(runtime, 262, lambda message: None) == []
        with runtime.session_factory() as session:
            theirs = sorted(session.execute(select(Person.bsn, Person.voornamen)).all(), key=str)
        runtime.close_cli_session()
    ours = sorted(seeded.execute(select(Person.bsn, Person.voornamen)).all(), key=str)
    assert ours == theirs
