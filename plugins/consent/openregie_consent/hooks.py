"""Hook implementations of the consent module: the expiry widget, the person-page panel and
the portal section (demo data, metrics and the subject's rights have their own files)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import has_request_context, request, url_for
from flask_babel import gettext
from flask_wtf import FlaskForm
from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from openregie_consent.models import GIVEN, ConsentRecord
from openregie_consent.services import records
from openregie_consent.services.common import MODULE, READ, purposes, settings
from openregie_consent.services.predicates import latest_version
from openregie_consent.services.resident import may_act_for
from openregie_consent.web.common import STATUS_LABELS, local
from openregie_sdk import Actor, audit, authorize, db_session, hookimpl, render
from openregie_sdk.contributions import DashboardWidget, Panel, PortalSection
from openregie_sdk.db import utcnow


def count_given_consents_expiring(session: Session, now: dt.datetime, window: dt.timedelta) -> int:
    """Given consents, in force at `now`, that expire within `window`. Only the latest record
    of each subject, recipient and purpose counts: a later withdrawal supersedes a consent."""
    count = session.scalar(
        select(func.count())
        .select_from(ConsentRecord)
        .where(
            and_(
                ConsentRecord.status == GIVEN,
                ConsentRecord.valid_from <= now,
                ConsentRecord.valid_until > now,
                ConsentRecord.valid_until <= now + window,
                latest_version(),
            )
        )
    )
    return count or 0


@hookimpl
def openregie_dashboard_widgets(actor: Actor) -> list[DashboardWidget]:
    if not authorize(READ):
        return []
    days = settings().expiry_warning_days
    expiring = count_given_consents_expiring(db_session(), utcnow(), dt.timedelta(days=days))
    body = render("consent/widget.html", expiring=expiring, days=days)
    return [DashboardWidget(title=gettext("Toestemmingen"), body=body, order=30)]


def _current(person_id: Any) -> tuple[list[ConsentRecord], set[Any]]:
    now = utcnow()
    current = [row for row, latest in records.records_of(person_id) if latest]
    return current, {r.id for r in current if records.grants_at(r, now)}


@hookimpl
def openregie_person_panels(actor: Actor, person: Any) -> list[Panel]:
    """The person's consents and their status, with a link to record or withdraw."""
    if not authorize(READ):
        return []
    current, in_force = _current(person.id)
    if current:
        audit.record("read", READ, "person", [person.id], module=MODULE)
    body = render(
        "consent/panel.html",
        current=current,
        in_force=in_force,
        labels={p.code: p.label for p in purposes()},
        statuses=STATUS_LABELS,
        local=local,
        page_url=url_for("consent.person", person_id=person.id),
    )
    return [Panel(title=gettext("Toestemmingen"), body=body, order=20)]


@hookimpl
def openregie_portal_sections(actor: Actor, person: Any) -> list[PortalSection]:
    """The resident's consents with buttons to give again or withdraw them."""
    if not may_act_for(actor, person.id):
        return []
    current, in_force = _current(person.id)
    if current:
        audit.record("read", "consent.own.manage", "person", [person.id], module=MODULE)
    body = render(
        "consent/portal_section.html",
        person=person,
        current=current,
        in_force=in_force,
        labels={p.code: p.label for p in purposes()},
        statuses=STATUS_LABELS,
        local=local,
        csrf=FlaskForm(formdata=None),
        back=request.path if has_request_context() else "/",
    )
    return [
        PortalSection(id="consent.overview", title=gettext("Uw toestemmingen"), body=body, order=40)
    ]
