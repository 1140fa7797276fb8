"""The demo region: Zutphen, Lochem and Brummen sharing one installation, their areas
(with real postcode ranges and street names), six teams and eight organisations.

Seeding is idempotent by natural key (CBS code, area name, team name, organisation name)
and goes through the registry services, so the demo obeys the same rules as real input.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from openregie_core.registry import (
    AreaIn,
    MembershipIn,
    MunicipalityIn,
    OrganisationIn,
    TeamIn,
    create_area,
    create_membership,
    create_municipality,
    create_organisation,
    create_team,
)
from openregie_sdk.registry import Area, Membership, Municipality, Organisation, Team


@dataclass(frozen=True)
class AreaSpec:
    name: str
    places: tuple[tuple[str, str], ...]  # (first four postcode digits, woonplaats)
    streets: tuple[str, ...]


MUNICIPALITIES = (("GM0301", "Zutphen"), ("GM0262", "Lochem"), ("GM0213", "Brummen"))

AREAS: dict[str, tuple[AreaSpec, ...]] = {
    "GM0301": (
        AreaSpec("Binnenstad", (("7201", "Zutphen"),),
                 ("Houtmarkt", "Beukerstraat", "Lange Hofstraat", "Spittaalstraat", "Zaadmarkt",
                  "Turfstraat", "Kuiperstraat")),
        AreaSpec("Noorderhaven", (("7202", "Zutphen"),),
                 ("Noorderhavenstraat", "Pollaan", "Kanonsdijk", "Marspoortstraat")),
        AreaSpec("Waterkwartier", (("7203", "Zutphen"),),
                 ("Deventerweg", "IJsselkade", "Weerdslag", "Kerkhofweg")),
        AreaSpec("Zuidwijken", (("7204", "Zutphen"), ("7205", "Zutphen")),
                 ("Leestenseweg", "Berkelsingel", "Voorsterallee", "Weg naar Laren",
                  "Looierstraat")),
        AreaSpec("De Hoven", (("7207", "Zutphen"),),
                 ("Rijksstraatweg", "Hovenseweg", "Kapelstraat", "Gelderlandstraat")),
        AreaSpec("Warnsveld", (("7231", "Warnsveld"), ("7232", "Warnsveld")),
                 ("Het Hoge", "Vordenseweg", "Dreiumme", "Lindeboomsweg", "Rijksweg")),
    ),
    "GM0262": (
        AreaSpec("Lochem-stad", (("7241", "Lochem"), ("7242", "Lochem")),
                 ("Markt", "Nieuweweg", "Zutphenseweg", "Molengoot", "Bierstraat",
                  "Tramstraat")),
        AreaSpec("Gorssel en Epse", (("7213", "Gorssel"), ("7214", "Epse")),
                 ("Hoofdstraat", "Deventerweg", "Joppelaan", "Kerkstraat")),
        AreaSpec("Eefde", (("7211", "Eefde"),),
                 ("Dorpsstraat", "Lochemseweg", "Het Jebbink", "Klaphekkenweg")),
        AreaSpec("Laren en Barchem", (("7245", "Laren"), ("7244", "Barchem")),
                 ("Dorpsstraat", "Holterweg", "Lochemseweg", "Ruurloseweg")),
    ),
    "GM0213": (
        AreaSpec("Brummen-dorp", (("6971", "Brummen"),),
                 ("Zutphensestraat", "Burgemeester Rijnderslaan", "Ambachtstraat",
                  "Elzenbosweg", "Kerkstraat")),
        AreaSpec("Eerbeek", (("6961", "Eerbeek"), ("6962", "Eerbeek")),
                 ("Stuijvenburchstraat", "Coldenhovenseweg", "Loubergweg", "Kerkweg",
                  "Harderwijkerweg")),
        AreaSpec("Hall en Empe", (("6964", "Hall"),), ("Halseweg", "Empeseweg", "Dorpsstraat")),
    ),
}  # fmt: skip

# (name, kind, [(CBS code, area name)]); one team serves areas in two municipalities.
TEAMS: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...] = (
    ("Sociaal Wijkteam Zutphen-Noord", "integral",
     (("GM0301", "Binnenstad"), ("GM0301", "Noorderhaven"), ("GM0301", "Waterkwartier"))),
    ("Sociaal Wijkteam Zutphen-Zuid", "integral",
     (("GM0301", "Zuidwijken"), ("GM0301", "De Hoven"), ("GM0301", "Warnsveld"))),
    ("Jeugd- en Gezinsteam Zutphen", "youth_family",
     tuple(("GM0301", a.name) for a in AREAS["GM0301"])),
    ("Jeugd- en Gezinsteam Lochem-Brummen", "youth_family",
     tuple(("GM0262", a.name) for a in AREAS["GM0262"])
     + tuple(("GM0213", a.name) for a in AREAS["GM0213"])),
    ("Team Volwassenen Lochem", "adults", tuple(("GM0262", a.name) for a in AREAS["GM0262"])),
    ("Team Volwassenen Brummen", "adults", tuple(("GM0213", a.name) for a in AREAS["GM0213"])),
)  # fmt: skip

# (name, AGB code or None): the municipality, welfare, youth care, district nursing, debt
# help, mental health care, client support and youth work. Fictional, except the gemeente.
ORGANISATIONS: tuple[tuple[str, str | None], ...] = (
    ("Gemeente Zutphen", None),
    ("Welzijn IJssel en Berkel", None),
    ("Stichting Jeugdhulp Oost-Gelderland", "98100215"),
    ("Wijkverpleging De Berkelstroom", "30105418"),
    ("Schuldhulp Achterhoek", None),
    ("GGZ IJsselvallei", "22108843"),
    ("Cliëntondersteuning Stedendriehoek", None),
    ("Jongerenwerk De Brug", "98102741"),
)


@dataclass
class Region:
    """Ids of what the region holds, by natural key."""

    municipalities: dict[str, uuid.UUID] = field(default_factory=dict)
    areas: dict[tuple[str, str], uuid.UUID] = field(default_factory=dict)
    teams: dict[str, uuid.UUID] = field(default_factory=dict)
    organisations: dict[str, uuid.UUID] = field(default_factory=dict)

    def created(self) -> dict[str, list[uuid.UUID]]:
        """The ids for `DemoContext.created`, by kind."""
        return {
            "municipality": list(self.municipalities.values()),
            "area": list(self.areas.values()),
            "organisation": list(self.organisations.values()),
            "team": list(self.teams.values()),
        }


@dataclass(frozen=True)
class DemoMembership:
    """A demo account's place in a team: role, home organisation (seconded staff) and
    contracted hours a week."""

    team: str
    role: str
    home_organisation: str
    hours_per_week: int


def seed_region(session: Session) -> Region:
    """Create what is missing of the region; return the ids of all of it."""
    region = Region()
    stored = dict(session.execute(select(Municipality.cbs_code, Municipality.id)).all())
    for code, name in MUNICIPALITIES:
        if code not in stored:
            stored[code] = create_municipality(session, MunicipalityIn(cbs_code=code, name=name)).id
        region.municipalities[code] = stored[code]
    code_of = {mid: code for code, mid in region.municipalities.items()}
    areas = session.execute(select(Area.municipality_id, Area.name, Area.id)).all()
    region.areas = {(code_of[m], n): i for m, n, i in areas if m in code_of}
    for code, specs in AREAS.items():
        for spec in specs:
            if (code, spec.name) not in region.areas:
                data = AreaIn(municipality_id=region.municipalities[code], name=spec.name)
                region.areas[(code, spec.name)] = create_area(session, data).id
    organisations = dict(session.execute(select(Organisation.name, Organisation.id)).all())
    for name, agb_code in ORGANISATIONS:
        if name not in organisations:
            data = OrganisationIn(name=name, agb_code=agb_code)
            organisations[name] = create_organisation(session, data).id
        region.organisations[name] = organisations[name]
    teams = dict(session.execute(select(Team.name, Team.id)).all())
    for name, kind, served in TEAMS:
        if name not in teams:
            data = TeamIn(name=name, kind=kind, area_ids=[region.areas[key] for key in served])
            teams[name] = create_team(session, data).id
        region.teams[name] = teams[name]
    return region


def join_teams(
    session: Session, user_id: uuid.UUID, memberships: tuple[DemoMembership, ...], region: Region
) -> None:
    """Give the user each membership they do not have yet, begun two years ago."""
    current = set(session.scalars(select(Membership.team_id).where(Membership.user_id == user_id)))
    for spec in memberships:
        team_id = region.teams[spec.team]
        if team_id in current:
            continue
        data = MembershipIn(
            user_id=user_id,
            team_id=team_id,
            role=spec.role,
            home_organisation_id=region.organisations[spec.home_organisation],
            hours_per_week=Decimal(spec.hours_per_week),
            start_on=dt.date.today() - dt.timedelta(days=730),
        )
        create_membership(session, data)
