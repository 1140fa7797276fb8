"""Demo residents of the region: about 2,000 persons in about 800 households, with valid
test BSNs and postcodes, families over time (separated parents share their children, who
then live in two households) and legal representation (parental authority over children,
guardianship by grandparents, bewindvoering, mentorship and curatele of adults).

Everything comes from the seeded generator, so a seed always gives the same people; rows
are inserted in batches, not as one ORM object per person.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from openregie_core.demo_names import NAME_GROUPS, NameGroup
from openregie_core.demo_region import AREAS, Region
from openregie_core.registry.checks import random_bsn
from openregie_core.registry.names import fold_name
from openregie_sdk.registry import Household, HouseholdMember, LegalRepresentation, Person

# Households by composition; with the children they have this makes ~2,000 persons.
PLAN = {"single": 200, "couple": 190, "family": 210, "single_parent": 110, "separated": 40,
        "grandparent": 10}  # fmt: skip
MUNICIPALITY_WEIGHTS = {"GM0301": 48, "GM0262": 34, "GM0213": 21}  # roughly by population
# Postcode letters as PostNL uses them: no F, I, O, Q, U, Y; never SA, SD or SS.
LETTERS = "ABCEGHJKLMNPRSTVWXZ"
BATCH = 1000


class People:
    """Builds the rows of persons, households, members and representations in memory."""

    def __init__(self, rng: random.Random, region: Region, today: dt.date) -> None:
        self.rng, self.region, self.today = rng, region, today
        self.persons: list[dict[str, Any]] = []
        self.households: list[dict[str, Any]] = []
        self.members: list[dict[str, Any]] = []
        self.representations: list[dict[str, Any]] = []
        self._bsns: set[str] = set()
        self._addresses: set[tuple[str, int, str | None]] = set()

    # -- building blocks ----------------------------------------------------------------
    def new_id(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def born(self, min_age: float, max_age: float) -> dt.date:
        return self.today - dt.timedelta(days=int(self.rng.uniform(min_age, max_age) * 365.25))

    def group(self) -> NameGroup:
        return self.rng.choices(NAME_GROUPS, weights=[g.weight for g in NAME_GROUPS])[0]

    def address(self) -> dict[str, Any]:
        codes = list(MUNICIPALITY_WEIGHTS)
        code = self.rng.choices(codes, weights=list(MUNICIPALITY_WEIGHTS.values()))[0]
        area = self.rng.choice(AREAS[code])
        digits, city = self.rng.choice(area.places)
        while True:
            letters = self.rng.choice(LETTERS) + self.rng.choice(LETTERS)
            if letters in ("SA", "SD", "SS"):
                continue
            number = self.rng.randint(1, 180)
            suffix = self.rng.choice(("A", "B", "1", "2")) if self.rng.random() < 0.1 else None
            key = (digits + letters, number, suffix)
            if key not in self._addresses:
                self._addresses.add(key)
                break
        return {
            "street": self.rng.choice(area.streets), "house_number": number,
            "house_number_suffix": suffix, "postcode": digits + letters, "city": city,
            "municipality_id": self.region.municipalities[code],
        }  # fmt: skip

    def person(
        self,
        group: NameGroup,
        female: bool,
        birth_date: dt.date,
        address: dict[str, Any],
        surname: tuple[str | None, str] | None = None,
        with_bsn: bool = True,
    ) -> dict[str, Any]:
        voorvoegsel, geslachtsnaam = surname or self.rng.choice(group.surnames)
        names = [self.rng.choice(group.female if female else group.male)]
        adult = birth_date <= self.today - dt.timedelta(days=18 * 366)
        middle = group.middle_female if female else group.middle_male
        if middle and self.rng.random() < (0.6 if adult else 0.3):
            names += self.rng.sample(middle, self.rng.randint(1, 2))
        bsn = None
        while with_bsn and (bsn is None or bsn in self._bsns):
            bsn = random_bsn(self.rng)
        if bsn:
            self._bsns.add(bsn)
        plain = fold_name(geslachtsnaam).replace(" ", "")
        row = {
            "id": self.new_id(), "bsn": bsn, "voornamen": " ".join(names),
            "voorvoegsel": voorvoegsel, "geslachtsnaam": geslachtsnaam,
            "search_name": fold_name(geslachtsnaam), "birth_date": birth_date,
            "phone": f"06{self.rng.randint(10000000, 99999999)}"
            if adult and self.rng.random() < 0.8 else None,
            "email": f"{fold_name(names[0])}.{plain}{self.rng.randint(1, 99)}@example.org"
            if adult and self.rng.random() < 0.5 else None,
            **address,
        }  # fmt: skip
        self.persons.append(row)
        return row

    def household(self, kind: str, head: dict[str, Any]) -> uuid.UUID:
        prefix = (head["voorvoegsel"] or "").capitalize()
        name = " ".join(p for p in (kind, prefix, head["geslachtsnaam"]) if p)
        household_id = self.new_id()
        self.households.append({"id": household_id, "name": name, "created_at": _now()})
        return household_id

    def member(
        self,
        household_id: uuid.UUID,
        person: dict[str, Any],
        role: str,
        start_on: dt.date,
        end_on: dt.date | None = None,
    ) -> None:
        self.members.append({
            "id": self.new_id(), "household_id": household_id, "person_id": person["id"],
            "role": role, "start_on": max(start_on, person["birth_date"]), "end_on": end_on,
        })  # fmt: skip

    def represent(
        self, representative: dict[str, Any], represented: dict[str, Any], kind: str,
        start_on: dt.date,
    ) -> None:  # fmt: skip
        end_on = None
        if kind in ("parental_authority", "guardianship"):
            adult_on = birthday(represented["birth_date"], 18)
            end_on = adult_on if adult_on <= self.today else None
        self.representations.append({
            "id": self.new_id(), "representative_id": representative["id"],
            "represented_id": represented["id"], "kind": kind, "start_on": start_on,
            "end_on": end_on,
        })  # fmt: skip

    def past_date(self, after: dt.date, before: dt.date | None = None) -> dt.date:
        """A day in [after, before) (before defaults to today)."""
        span = ((before or self.today) - after).days
        return after + dt.timedelta(days=self.rng.randrange(max(span, 1)))


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def birthday(born: dt.date, years: int) -> dt.date:
    """The day someone born on `born` turns `years` old."""
    try:
        return born.replace(year=born.year + years)
    except ValueError:  # born on 29 February
        return born.replace(year=born.year + years, day=28)


def insert_people(session: Session, people: People) -> None:
    """Insert what `people` built, in batches of executemany inserts."""
    now = _now()
    persons = [
        {**row, "created_at": now, "updated_at": now, "version": 1} for row in people.persons
    ]
    for table, rows in (
        (Person.__table__, persons),
        (Household.__table__, people.households),
        (HouseholdMember.__table__, people.members),
        (LegalRepresentation.__table__, people.representations),
    ):
        for chunk in _chunks(rows):
            session.execute(insert(table), chunk)


def _chunks(rows: Sequence[dict[str, Any]]) -> list[Sequence[dict[str, Any]]]:
    return [rows[start : start + BATCH] for start in range(0, len(rows), BATCH)]
