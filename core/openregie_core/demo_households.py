"""The demo's households, one composition at a time (singles, couples, families, single
parents, separated parents whose children live in two households, grandparents caring for
a grandchild), then the representation of adults (bewindvoering, mentorship, curatele)."""

from __future__ import annotations

import datetime as dt
import random
import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from openregie_core.demo_names import NameGroup
from openregie_core.demo_people import PLAN, People, birthday, insert_people
from openregie_core.demo_region import Region
from openregie_sdk.registry import HouseholdMember, Person

YEAR = dt.timedelta(days=365)
DAY = dt.timedelta(days=1)


def seed_residents(
    session: Session, rng: random.Random, region: Region
) -> dict[str, list[uuid.UUID]]:
    """Build and insert the residents unless the region already has residents; returns
    the ids of the region's persons and households."""
    in_region = Person.municipality_id.in_(list(region.municipalities.values()))
    if session.scalar(select(Person.id).where(in_region).limit(1)) is None:
        insert_people(session, build_people(rng, region, dt.date.today()))
    persons = sorted(session.scalars(select(Person.id).where(in_region)))
    households = session.scalars(
        select(HouseholdMember.household_id).join(Person).where(in_region).distinct()
    )
    return {"person": persons, "household": sorted(households)}


def build_people(rng: random.Random, region: Region, today: dt.date) -> People:
    people = People(rng, region, today)
    kinds = [kind for kind, count in PLAN.items() for _ in range(count)]
    rng.shuffle(kinds)
    builders = {
        "single": _single, "couple": _couple, "family": _family,
        "single_parent": _single_parent, "separated": _separated, "grandparent": _grandparent,
    }  # fmt: skip
    singles: list[dict[str, Any]] = []
    for kind in kinds:
        built = builders[kind](people)
        if kind == "single":
            singles.append(built)
    _represent_adults(people, singles)
    return people


def _adult_start(people: People, person: dict[str, Any], years_back: float) -> dt.date:
    """A start within `years_back` years, not before the person turned 18."""
    earliest = max(people.today - years_back * YEAR, birthday(person["birth_date"], 18))
    return people.past_date(earliest)


def _single(people: People) -> dict[str, Any]:
    rng = people.rng
    group = people.group()
    # One in fifty has no BSN (yet): the registry allows that.
    person = people.person(group, rng.random() < 0.5, people.born(19, 92), people.address(),
                           with_bsn=rng.random() >= 0.02)  # fmt: skip
    household = people.household("Huishouden", person)
    people.member(household, person, "other", _adult_start(people, person, 30))
    return person


def _couple(people: People) -> None:
    group, address = people.group(), people.address()
    first = people.person(group, False, people.born(22, 88), address)
    born = first["birth_date"] + people.rng.randint(-900, 2500) * DAY
    second = people.person(group, True, min(born, people.today - 20 * YEAR), address)
    household = people.household("Huishouden", first)
    start = _adult_start(
        people, second if second["birth_date"] > first["birth_date"] else first, 40
    )
    people.member(household, first, "partner", start)
    people.member(household, second, "partner", start)


def _children(
    people: People, group: NameGroup, mother: dict[str, Any], surname: tuple, count: int,
    address: dict[str, Any], min_age: dt.timedelta = 30 * DAY,
) -> list[dict[str, Any]]:  # fmt: skip
    """Children born when the mother was 21 to 42, the oldest at most 23 now, the
    youngest at least `min_age`."""
    earliest = max(mother["birth_date"] + 21 * YEAR, people.today - 23 * YEAR)
    latest = min(mother["birth_date"] + 42 * YEAR, people.today - min_age)
    if earliest >= latest:
        earliest = latest - 2 * YEAR
    births = sorted(people.past_date(earliest, latest) for _ in range(count))
    return [
        people.person(group, people.rng.random() < 0.5, born, address, surname=surname)
        for born in births
    ]


def _parents(people: People) -> tuple[Any, dict[str, Any], dict[str, Any], dict[str, Any]]:
    group, address = people.group(), people.address()
    mother = people.person(group, True, people.born(26, 55), address)
    born = mother["birth_date"] - people.rng.randint(-700, 2000) * DAY
    father = people.person(group, False, born, address)
    return group, address, mother, father


def _family(people: People) -> None:
    group, address, mother, father = _parents(people)
    surname = (father["voorvoegsel"], father["geslachtsnaam"])
    children = _children(people, group, mother, surname, people.rng.choice((1, 2, 2, 3, 3, 4)),
                         address)  # fmt: skip
    household = people.household("Gezin", father)
    start = min(children[0]["birth_date"] - people.rng.randint(0, 4) * YEAR, people.today)
    start = max(start, mother["birth_date"] + 18 * YEAR, father["birth_date"] + 18 * YEAR)
    people.member(household, father, "parent", start)
    people.member(household, mother, "parent", start)
    for child in children:
        people.member(household, child, "child", child["birth_date"])
        for parent in (mother, father):
            people.represent(parent, child, "parental_authority", child["birth_date"])


def _single_parent(people: People) -> None:
    rng = people.rng
    group, address = people.group(), people.address()
    female = rng.random() < 0.85
    parent = people.person(group, female, people.born(24, 52), address)
    # Children's ages follow the mother's; a father is taken to be two years older.
    reference = parent if female else {**parent, "birth_date": parent["birth_date"] + 2 * YEAR}
    children = _children(people, group, reference,
                         (parent["voorvoegsel"], parent["geslachtsnaam"]),
                         rng.choice((1, 1, 2, 2, 3)), address)  # fmt: skip
    household = people.household("Gezin", parent)
    people.member(household, parent, "parent", min(children[0]["birth_date"], people.today))
    for child in children:
        people.member(household, child, "child", child["birth_date"])
        people.represent(parent, child, "parental_authority", child["birth_date"])


def _separated(people: People) -> None:
    """Parents who split up: the children stay in the family household with their mother
    and, from the separation on, are also members of their father's new household."""
    rng = people.rng
    group, address, mother, father = _parents(people)
    surname = (father["voorvoegsel"], father["geslachtsnaam"])
    children = _children(people, group, mother, surname, rng.choice((1, 2, 2, 3)), address,
                         min_age=2 * YEAR)  # fmt: skip
    start = max(children[0]["birth_date"] - rng.randint(0, 3) * YEAR,
                mother["birth_date"] + 18 * YEAR, father["birth_date"] + 18 * YEAR)  # fmt: skip
    split = people.past_date(children[-1]["birth_date"] + YEAR // 2, people.today - 30 * DAY)
    family = people.household("Gezin", father)
    people.member(family, mother, "parent", start)
    people.member(family, father, "parent", start, end_on=split)
    new_address = people.address()
    father.update(new_address)
    own = people.household("Gezin", father)
    people.member(own, father, "parent", split)
    for child in children:
        people.member(family, child, "child", child["birth_date"])
        people.member(own, child, "child", split)
        for parent in (mother, father):
            people.represent(parent, child, "parental_authority", child["birth_date"])
    if rng.random() < 0.35:  # the father's new partner moves in later
        born = min(father["birth_date"] + rng.randint(-1500, 2500) * DAY, people.today - 20 * YEAR)
        partner = people.person(people.group(), True, born, new_address)
        people.member(own, partner, "partner", people.past_date(split + DAY))


def _grandparent(people: People) -> None:
    """A grandmother caring for a grandchild, appointed as guardian (voogd)."""
    group, address = people.group(), people.address()
    carer = people.person(group, True, people.born(55, 74), address)
    child = people.person(group, people.rng.random() < 0.5, people.born(2, 16), address,
                          surname=(carer["voorvoegsel"], carer["geslachtsnaam"]))  # fmt: skip
    household = people.household("Gezin", carer)
    since = people.past_date(child["birth_date"] + 60 * DAY)
    people.member(household, carer, "carer", since)
    people.member(household, child, "child", since)
    people.represent(carer, child, "guardianship", since)


def _represent_adults(people: People, singles: list[dict[str, Any]]) -> None:
    """Three professional bewindvoerders (registered persons without a household here)
    for a dozen adults; mentorship of a few elderly by a younger relative; one curatele."""
    rng = people.rng
    bewindvoerders = [
        people.person(people.group(), rng.random() < 0.5, people.born(35, 60), people.address())
        for _ in range(3)
    ]
    adults = [p for p in singles if p["birth_date"] <= people.today - 19 * YEAR]
    elderly = [p for p in adults if p["birth_date"] <= people.today - 75 * YEAR]
    younger = [p for p in adults if p["birth_date"] > people.today - 65 * YEAR]
    chosen = rng.sample(adults, 12)
    for person in chosen:
        people.represent(rng.choice(bewindvoerders), person, "bewindvoering",
                         _adult_start(people, person, 8))  # fmt: skip
    for person in rng.sample([p for p in elderly if p not in chosen], 5):
        relative = rng.choice([p for p in younger if p is not person])
        people.represent(relative, person, "mentorship", _adult_start(people, person, 5))
    ward = rng.choice([p for p in younger if p not in chosen])
    guardian = rng.choice([p for p in younger if p is not ward])
    people.represent(guardian, ward, "curatele", _adult_start(people, ward, 10))
