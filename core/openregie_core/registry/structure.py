"""The organisation of the social domain: municipalities, their areas, partner
organisations, teams serving areas (possibly in several municipalities) and memberships."""

from __future__ import annotations

from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import Session

from openregie_core.models import Role, User
from openregie_core.registry.errors import NotFound, RegistryError
from openregie_core.registry.inputs import (
    AreaIn,
    MembershipIn,
    MunicipalityIn,
    OrganisationIn,
    TeamIn,
)
from openregie_sdk.registry import Area, Membership, Municipality, Organisation, Team


def _taken(session: Session, column: object, value: object) -> bool:
    return session.scalar(select(column).where(column == value).limit(1)) is not None


def create_municipality(session: Session, data: MunicipalityIn) -> Municipality:
    if _taken(session, Municipality.cbs_code, data.cbs_code):
        raise RegistryError.on(
            "cbs_code", gettext("%(code)s is al geregistreerd", code=data.cbs_code)
        )
    municipality = Municipality(**data.model_dump())
    session.add(municipality)
    session.flush()
    return municipality


def create_area(session: Session, data: AreaIn) -> Area:
    if session.get(Municipality, data.municipality_id) is None:
        raise NotFound.on("municipality_id", gettext("bestaat niet"))
    same = select(Area.id).where(
        Area.municipality_id == data.municipality_id, Area.name == data.name
    )
    if session.scalar(same) is not None:
        raise RegistryError.on("name", gettext("de gemeente heeft al een gebied met die naam"))
    area = Area(**data.model_dump())
    session.add(area)
    session.flush()
    return area


def create_organisation(session: Session, data: OrganisationIn) -> Organisation:
    if _taken(session, Organisation.name, data.name):
        raise RegistryError.on("name", gettext("er bestaat al een organisatie met die naam"))
    if data.agb_code is not None and _taken(session, Organisation.agb_code, data.agb_code):
        raise RegistryError.on("agb_code", gettext("hoort bij een andere organisatie"))
    organisation = Organisation(**data.model_dump())
    session.add(organisation)
    session.flush()
    return organisation


def create_team(session: Session, data: TeamIn) -> Team:
    """A team and the areas it serves; they may lie in several municipalities."""
    if _taken(session, Team.name, data.name):
        raise RegistryError.on("name", gettext("er bestaat al een team met die naam"))
    areas = list(session.scalars(select(Area).where(Area.id.in_(data.area_ids))))
    if len(areas) != len(set(data.area_ids)):
        raise NotFound.on("area_ids", gettext("bestaat niet"))
    team = Team(name=data.name, kind=data.kind, areas=areas)
    session.add(team)
    session.flush()
    return team


def create_membership(session: Session, data: MembershipIn) -> Membership:
    """Place a user in a team with a role (a role name such as professional or team_lead)."""
    if session.get(User, data.user_id) is None:
        raise NotFound.on("user_id", gettext("bestaat niet"))
    if session.get(Team, data.team_id) is None:
        raise NotFound.on("team_id", gettext("bestaat niet"))
    if not _taken(session, Role.name, data.role):
        raise NotFound.on("role", gettext("er is geen rol %(name)s", name=repr(data.role)))
    if (
        data.home_organisation_id is not None
        and session.get(Organisation, data.home_organisation_id) is None
    ):
        raise NotFound.on("home_organisation_id", gettext("bestaat niet"))
    membership = Membership(**data.model_dump())
    session.add(membership)
    session.flush()
    return membership
