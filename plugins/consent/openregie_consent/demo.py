"""Demo data of the consent module: the consents of a few demo households — the parent's
and the children's, given, refused, withdrawn and requested — so the person panel, the
expiry widget and enforcement have something to show. Spoken by whom the age rules allow."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import func, select

from openregie_consent.models import GIVEN, REFUSED, REQUESTED, WITHDRAWN, ConsentRecord
from openregie_consent.services.authority import age_on
from openregie_consent.settings import DEFAULT_PURPOSES
from openregie_sdk import hookimpl
from openregie_sdk.contributions import DemoContext
from openregie_sdk.db import utcnow
from openregie_sdk.registry import HouseholdMember, LegalRepresentation, Organisation, Person

HOUSEHOLDS = 3
PURPOSE = {p.code: p for p in DEFAULT_PURPOSES}


def _households(context: DemoContext) -> list[list[tuple[Person, str]]]:
    """The first households (by id) with a parent and a child, members by birth date."""
    session = context.session
    rows = session.execute(
        select(HouseholdMember.household_id, HouseholdMember.role, Person)
        .join(Person, Person.id == HouseholdMember.person_id)
        .where(HouseholdMember.end_on.is_(None))
        .order_by(HouseholdMember.household_id, Person.birth_date, Person.id)
    ).all()
    grouped: dict[uuid.UUID, list[tuple[Person, str]]] = {}
    for household_id, role, person in rows:
        grouped.setdefault(household_id, []).append((person, role))
    chosen = [
        members
        for members in grouped.values()
        if {"parent", "child"} <= {role for _, role in members}
    ]
    return chosen[:HOUSEHOLDS]


@hookimpl
def openregie_demo_data(context: DemoContext) -> None:
    session = context.session
    if session.scalar(select(func.count()).select_from(ConsentRecord)):
        return
    organisations = session.scalars(select(Organisation).order_by(Organisation.name)).all()
    households = _households(context)
    if not organisations or not households:
        context.progress("consent: no households or organisations; no consents")
        return
    now = utcnow()
    today = now.date()
    rng = context.rng

    def add(
        subject: Person,
        purpose: str,
        status: str,
        by: list[uuid.UUID],
        *,
        days_ago: int,
        valid_days: int | None = None,
        recipient: Organisation | None = None,
    ) -> None:
        recorded = now - dt.timedelta(days=days_ago)
        target = recipient or organisations[0]
        session.add(
            ConsentRecord(
                subject_id=subject.id,
                recipient_id=target.id,
                recipient_kind="organisation",
                recipient_name=target.name,
                purpose=purpose,
                data_categories=list(PURPOSE[purpose].data_categories),
                legal_basis=PURPOSE[purpose].legal_basis,
                special_category_exception=PURPOSE[purpose].special_category_exception,
                status=status,
                valid_from=recorded,
                valid_until=recorded + dt.timedelta(days=valid_days) if valid_days else None,
                obtained=None if status == REQUESTED else rng.choice(("verbal", "written")),
                given_by=[str(i) for i in by],
                recorded_at=recorded,
                recorded_by_name="Rosa Regie",
            )
        )

    for index, members in enumerate(households):
        parents = [p for p, role in members if role == "parent"]
        children = [p for p, role in members if role == "child"]
        parent = parents[0]
        for child in children:
            guardians = set(
                session.scalars(
                    select(LegalRepresentation.representative_id).where(
                        LegalRepresentation.represented_id == child.id
                    )
                )
            ) or {parent.id}
            age = age_on(child.birth_date, today) if child.birth_date else 18
            speakers = (
                sorted(guardians)
                if age < 12
                else [child.id]
                if age >= 16
                else [child.id, *sorted(guardians)]
            )
            add(child, "team_partner", GIVEN, speakers, days_ago=200 + index, valid_days=365)
        # The parent's: the first household's expires soon (the widget warns), the second's
        # was withdrawn, the third's is only requested.
        if index == 0:
            add(parent, "team_partner", GIVEN, [parent.id], days_ago=350, valid_days=365)
        elif index == 1:
            add(parent, "team_partner", GIVEN, [parent.id], days_ago=120, valid_days=365)
            add(parent, "team_partner", WITHDRAWN, [parent.id], days_ago=10)
        else:
            add(parent, "team_partner", REQUESTED, [], days_ago=2)
        add(parent, "plan_school", REFUSED, [parent.id], days_ago=60 + index)
        add(parent, "info_huisarts", GIVEN, [parent.id], days_ago=30, valid_days=365,
            recipient=organisations[-1])  # fmt: skip
    context.progress(f"consent: consents of {len(households)} households")
