"""Residents: persons (valid BSNs by the 11-proef, Dutch names, birth dates, addresses with
postcodes of their area) living in households with members in roles; some children of
separated parents belong to two households."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from bench.dataset.common import UTC, Rand, Span
from bench.dataset.sink import Sink
from bench.dataset.tiers import Tier
from bench.dataset.world import World
from openregie_core.demo_names import NAME_GROUPS
from openregie_core.registry.checks import random_bsn
from openregie_core.registry.names import fold_name

STREETS = (
    "Dorpsstraat", "Kerkstraat", "Stationsweg", "Molenweg", "Schoolstraat", "Beukenlaan",
    "Eikenlaan", "Wilhelminastraat", "Julianalaan", "Burgemeester de Vriesstraat", "Hoofdweg",
    "Industrieweg", "Marktplein", "Nieuwstad", "Spittaalstraat", "Zaadmarkt", "Lindelaan",
)  # fmt: skip
LETTERS = "ABCDEGHJKLMNPRTVXZ"
SIZES = (1, 2, 3, 4, 5, 6)
SIZE_WEIGHTS = (38, 30, 12, 12, 6, 2)


@dataclass(frozen=True, slots=True)
class Resident:
    id: Any
    birth_date: dt.date


@dataclass(frozen=True, slots=True)
class Home:
    """A household as the case generator needs it: its area and current members."""

    id: Any
    area_id: Any
    members: tuple[Resident, ...]


def _sizes(rng: Rand, persons: int, households: int) -> list[int]:
    """Household sizes that add up to exactly `persons`."""
    sizes = rng.choices(SIZES, SIZE_WEIGHTS, k=households)
    difference = persons - sum(sizes)
    step = 1 if difference > 0 else -1
    while difference:
        i = rng.randrange(households)
        if 1 <= sizes[i] + step <= 8:
            sizes[i] += step
            difference -= step
    return sizes


# BSNs passing the 11-proef under a prefix: "99" leaves 6 free digits (~909,000 numbers),
# "9" leaves 7 (~9.1 million). Drawing unique numbers from a space less than twice the
# persons slows to a crawl and cannot finish beyond it (tier L's million did not).
BSN_SPACE = {"99": 909_090, "9": 9_090_909}


def bsn_prefix(persons: int) -> str:
    """The longest prefix (recognisable test numbers) whose space is at least four times
    the persons; tiers S and M keep "99", so their rows are what they were."""
    for prefix, space in BSN_SPACE.items():
        if persons * 4 <= space:
            return prefix
    raise SystemExit(f"too many persons for unique test BSNs: {persons:,}")


def build(sink: Sink, rng: Rand, tier: Tier, span: Span, world: World) -> list[Home]:
    households = min(tier.households, tier.persons)
    sizes = _sizes(rng, tier.persons, households)
    homes: list[Home] = []
    person_rows: list[tuple[Any, ...]] = []
    household_rows: list[tuple[Any, ...]] = []
    member_rows: list[tuple[Any, ...]] = []
    bsns: set[str] = set()
    children: list[tuple[Resident, dt.date]] = []
    names = _municipality_names(world)
    prefix = bsn_prefix(tier.persons)
    for size in sizes:
        area_id, mid, postcode = rng.choice(world.areas)
        group = rng.choices(NAME_GROUPS, [g.weight for g in NAME_GROUPS])[0]
        voorvoegsel, surname = rng.choice(group.surnames)
        street, number = rng.choice(STREETS), rng.randint(1, 240)
        code = f"{postcode + rng.randrange(2)}{rng.choice(LETTERS)}{rng.choice(LETTERS)}"
        formed = span.start - dt.timedelta(days=rng.randrange(0, 7000))
        if rng.random() < 0.12:  # a household that came into view during the two years
            formed = span.day(rng)
        kids = 0 if size == 1 else (size - 2 if size > 2 else rng.randrange(2))
        members = []
        hid = rng.uuid()
        for position in range(size):
            child = position >= size - kids
            age_days = rng.randrange(0, 18 * 365) if child else rng.randrange(18 * 365, 90 * 365)
            born = span.end - dt.timedelta(days=age_days)
            female = rng.random() < 0.5
            first = rng.choice(group.female if female else group.male)
            pid = rng.uuid()
            bsn = None if rng.random() < 0.01 else random_bsn(rng, prefix)
            while bsn in bsns:
                bsn = random_bsn(rng, prefix)
            if bsn:
                bsns.add(bsn)
            created = formed_at(min(max(formed, born), span.end))
            person_rows.append((
                pid, bsn, first, voorvoegsel, surname, fold_name(surname), born,
                f"06{rng.randrange(10**7, 10**8)}" if not child and rng.random() < 0.7 else None,
                f"{fold_name(first)}.{len(person_rows)}@example.org"
                if not child and rng.random() < 0.4 else None,
                street, number, None, code, names[mid], mid, created, created, 1,
            ))  # fmt: skip
            role = (
                "child" if child else ("parent" if kids else ("partner" if size > 1 else "other"))
            )
            start = max(formed, born)
            member_rows.append((rng.uuid(), hid, pid, role, start, None))
            resident = Resident(pid, born)
            members.append(resident)
            if child:
                children.append((resident, start))
        household_rows.append((hid, f"Huishouden {surname}", formed_at(formed)))
        homes.append(Home(hid, area_id, tuple(members)))
    for resident, start in children:  # children of separated parents live in two households
        if rng.random() < 0.04:
            other = rng.choice(homes)
            member_rows.append((rng.uuid(), other.id, resident.id, "child", start, None))
    sink.write(
        "core_person",
        ("id", "bsn", "voornamen", "voorvoegsel", "geslachtsnaam", "search_name", "birth_date",
         "phone", "email", "street", "house_number", "house_number_suffix", "postcode", "city",
         "municipality_id", "created_at", "updated_at", "version"),
        person_rows, len(person_rows),
    )  # fmt: skip
    sink.write("core_household", ("id", "name", "created_at"), household_rows, len(household_rows))
    sink.write(
        "core_household_member",
        ("id", "household_id", "person_id", "role", "start_on", "end_on"),
        member_rows,
        len(member_rows),
    )
    return homes


def formed_at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(9), tzinfo=UTC)


def _municipality_names(world: World) -> dict[Any, str]:
    from bench.dataset.world import MUNICIPALITIES

    by_code = {code: name for code, name, _ in MUNICIPALITIES}
    return {mid: by_code[code] for mid, code in world.municipality_codes.items()}
