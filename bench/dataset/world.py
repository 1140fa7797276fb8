"""The organisation of the region: municipalities (real CBS codes), areas, partner
organisations, teams serving areas (one crossing a municipal border), users with their
roles, and memberships (role in the team, home organisation, contracted hours)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from bench.dataset.common import UTC, Rand, Span
from bench.dataset.sink import Sink
from bench.dataset.tiers import Tier
from openregie_core.accounts import TEAM_KINDS
from openregie_core.demo_names import NAME_GROUPS
from openregie_core.registry.names import fold_name

MUNICIPALITIES = (
    ("GM0301", "Zutphen", 7200), ("GM0262", "Lochem", 7240), ("GM0213", "Brummen", 6970),
    ("GM0200", "Apeldoorn", 7300), ("GM0150", "Deventer", 7400), ("GM0285", "Voorst", 7380),
    ("GM1876", "Bronckhorst", 7220), ("GM0294", "Winterswijk", 7100),
)  # fmt: skip
AREAS = ("Centrum", "Noord", "Zuid", "Oost", "West", "Buitengebied", "De Hoven", "Brink")
ORGANISATIONS = (
    ("Gemeente", None), ("Welzijn IJssel en Berkel", "41000101"), ("Jeugdzorg Oost", "41000202"),
    ("Wijkverpleging Achterhoek", "41000303"), ("Schuldhulp Stedendriehoek", "41000404"),
    ("GGZ Gelderland-Oost", "41000505"), ("MEE Oost", "41000606"), ("Veilig Thuis", None),
    ("Leger des Heils", "41000707"), ("Humanitas", None), ("Vluchtelingenwerk", None),
    ("Sterk Huis", "41000808"), ("Jeugdgezondheidszorg", "41000909"),
)  # fmt: skip
PASSWORD = "demo-wachtwoord"  # noqa: S105 - documented benchmark credential


@dataclass(slots=True)
class World:
    """Ids the later parts need: areas per municipality, teams per area, staff per team."""

    municipality_ids: list[Any] = field(default_factory=list)
    municipality_codes: dict[Any, str] = field(default_factory=dict)
    areas: list[tuple[Any, Any, int]] = field(default_factory=list)  # id, municipality, postcode
    organisation_ids: list[Any] = field(default_factory=list)
    teams_of_area: dict[Any, list[Any]] = field(default_factory=dict)
    staff_of_team: dict[Any, list[tuple[Any, str, Any]]] = field(default_factory=dict)
    team_ids: list[Any] = field(default_factory=list)


def _password_hash() -> str:
    from openregie_core.auth.passwords import hash_password

    return hash_password(PASSWORD)


def build(sink: Sink, rng: Rand, tier: Tier, span: Span, role_ids: dict[str, Any]) -> World:
    world = World()
    chosen = MUNICIPALITIES[: tier.municipalities]
    rows = []
    for code, name, _ in chosen:
        mid = rng.uuid()
        world.municipality_ids.append(mid)
        world.municipality_codes[mid] = code
        rows.append((mid, code, name))
    sink.write("core_municipality", ("id", "cbs_code", "name"), rows)

    area_rows = []
    for mid, (_, _, postcode) in zip(world.municipality_ids, chosen, strict=True):
        for i, area in enumerate(AREAS[: tier.areas_per_municipality]):
            aid = rng.uuid()
            world.areas.append((aid, mid, postcode + i * 2))
            area_rows.append((aid, mid, area))
    sink.write("core_area", ("id", "municipality_id", "name"), area_rows)

    org_rows = [(rng.uuid(), name, agb) for name, agb in ORGANISATIONS]
    world.organisation_ids = [row[0] for row in org_rows]
    sink.write("core_organisation", ("id", "name", "agb_code"), org_rows)

    names = {mid: name for mid, (_, name, _) in zip(world.municipality_ids, chosen, strict=True)}
    area_names = {row[0]: row[2] for row in area_rows}
    teams: list[tuple[Any, str, str, list[Any]]] = []
    for aid, mid, _ in world.areas:  # a neighbourhood team per area
        teams.append(
            (rng.uuid(), f"Sociaal Wijkteam {names[mid]}-{area_names[aid]}", "adults", [aid])
        )
    for mid in world.municipality_ids:  # a youth and family team per municipality
        served = [aid for aid, m, _ in world.areas if m == mid]
        teams.append((rng.uuid(), f"Jeugd- en Gezinsteam {names[mid]}", "youth_family", served))
    if len(world.municipality_ids) > 1:  # a regional team across a municipal border
        first, second = world.municipality_ids[:2]
        served = [aid for aid, m, _ in world.areas if m in (first, second)][::2]
        teams.append((rng.uuid(), f"Regioteam {names[first]}-{names[second]}", "integral", served))
    sink.write("core_team", ("id", "name", "kind"), [t[:3] for t in teams])
    sink.write("core_team_area", ("team_id", "area_id"), [(t[0], a) for t in teams for a in t[3]])
    world.team_ids = [t[0] for t in teams]
    for tid, _, _, served in teams:
        for aid in served:
            world.teams_of_area.setdefault(aid, []).append(tid)
        world.staff_of_team[tid] = []

    _users(sink, rng, tier, span, world, role_ids)
    return world


def _users(
    sink: Sink, rng: Rand, tier: Tier, span: Span, world: World, role_ids: dict[str, Any]
) -> None:
    password_hash = _password_hash()
    created = dt.datetime.combine(span.start, dt.time(8), tzinfo=UTC)
    users, roles, memberships = [], [], []
    kinds = ["team_lead"] * len(world.team_ids)
    kinds += ["policy_officer"] * len(world.municipality_ids) + ["functional_admin"] * 2
    kinds += ["professional"] * max(len(world.team_ids), tier.users - len(kinds))
    lead_of = iter(world.team_ids)
    for n, kind in enumerate(kinds):
        group = rng.choices(NAME_GROUPS, [g.weight for g in NAME_GROUPS])[0]
        first = rng.choice(group.female + group.male)
        voorvoegsel, surname = rng.choice(group.surnames)
        display = " ".join(p for p in (first, voorvoegsel, surname) if p)
        uid = rng.uuid()
        username = f"{fold_name(first)}.{fold_name(surname).replace(' ', '')}{n}"
        users.append((uid, username, display, f"{username}@example.org", password_hash, kind,
                      True, created, 0, 1))  # fmt: skip
        assignment_id = rng.uuid()  # drawn for every kind: the stream stays as it was
        if kind not in TEAM_KINDS:  # as core's default: team staff get team-scoped grants
            roles.append((assignment_id, uid, role_ids[kind], None))
        if kind == "team_lead":
            teams = [next(lead_of)]
        elif kind == "professional":
            teams = rng.sample(world.team_ids, 2 if rng.random() < 0.2 else 1)
        else:
            continue
        home = rng.choice(world.organisation_ids)
        for tid in teams:
            start = span.start - dt.timedelta(days=rng.randrange(0, 1500))
            end = None
            if kind == "professional" and rng.random() < 0.1:  # left during the two years
                end = span.start + dt.timedelta(days=rng.randrange(30, span.days))
            hours = Decimal(rng.choice((8, 12, 16, 18, 20, 24, 28, 32, 36)))
            role = "team_lead" if kind == "team_lead" else "professional"
            memberships.append((rng.uuid(), uid, tid, role, home, hours, start, end))
            if end is None:
                world.staff_of_team[tid].append((uid, display, home))
    sink.write(
        "core_user",
        ("id", "username", "display_name", "email", "password_hash", "kind", "active",
         "created_at", "failed_logins", "session_version"),
        users,
    )  # fmt: skip
    sink.write("core_role_assignment", ("id", "user_id", "role_id", "municipality_id"), roles)
    sink.write(
        "core_membership",
        ("id", "user_id", "team_id", "role", "home_organisation_id", "hours_per_week",
         "start_on", "end_on"),
        memberships,
    )  # fmt: skip
    for tid, staff in world.staff_of_team.items():
        if not staff:  # every team has someone to manage its cases
            raise SystemExit(f"team {tid} has no current staff; raise the tier's users")
