"""The functional admin's view of the audit log: newest first, filtered, a page at a time.
Looking at the log is processing too, so every view is itself recorded."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any
from zoneinfo import ZoneInfo

from flask import Blueprint, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, StringField
from wtforms.validators import Length, Optional, ValidationError

from openregie_core.audit.queries import AuditFilter, audit_page
from openregie_core.audit.recorder import record
from openregie_core.authz.roles import ROLE_TITLES
from openregie_core.i18n import N_
from openregie_sdk import current_actor, db_session, requires

blueprint = Blueprint("core_audit", __name__)
PAGE_SIZE = 50
PERMISSION = "core.audit.read"
DUTCH_TIME = ZoneInfo("Europe/Amsterdam")

STATUS_LABELS = {"ok": N_("gelukt"), "denied": N_("geweigerd"), "error": N_("mislukt")}
SUBJECT_LABELS = {"person": N_("persoon"), "household": N_("huishouden"), "route": N_("pagina")}
ACTOR_LABELS = {
    "system": N_("systeem"),
    "api_client": N_("API-koppeling"),
    "resident": N_("inwoner"),
}


class FilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET filter changes nothing

    betrokkene = StringField(
        _l("Betrokkene (id)"),
        validators=[Optional(), Length(max=64, message=_l("Gebruik hoogstens 64 tekens."))],
    )
    handeling = StringField(
        _l("Handeling"),
        validators=[Optional(), Length(max=40, message=_l("Gebruik hoogstens 40 tekens."))],
    )
    vanaf = DateField(
        _l("Vanaf"), validators=[Optional()], render_kw={"type": "date"}, format="%Y-%m-%d"
    )
    tot = DateField(
        _l("Tot en met"), validators=[Optional()], render_kw={"type": "date"}, format="%Y-%m-%d"
    )

    def validate_tot(self, field: DateField) -> None:
        if field.data and self.vanaf.data and field.data < self.vanaf.data:
            raise ValidationError(_("Deze datum ligt vóór de datum bij Vanaf."))

    def audit_filter(self) -> AuditFilter:
        def start_of(day: dt.date) -> dt.datetime:
            return dt.datetime.combine(day, dt.time(), DUTCH_TIME)

        return AuditFilter(
            subject_id=(self.betrokkene.data or "").strip() or None,
            action=(self.handeling.data or "").strip() or None,
            since=start_of(self.vanaf.data) if self.vanaf.data else None,
            until=start_of(self.tot.data + dt.timedelta(days=1)) if self.tot.data else None,
        )


def _role_titles(roles: str | None) -> str:
    """The stored role names ("a, b") as their (translated) titles."""
    return (
        ", ".join(_(ROLE_TITLES[r]) if r in ROLE_TITLES else r for r in roles.split(", "))
        if roles
        else ""
    )


def _record_view(rows: list[Any]) -> None:
    """One record per data subject shown; a view showing nothing records the search."""
    shown: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        shown[row.data_subject_type].append(row.data_subject_id)
    for subject_type, subject_ids in shown.items():
        record("read", PERMISSION, subject_type, subject_ids)
    if not shown:
        record("search", PERMISSION, "route", [request.path])


@blueprint.get("")
@requires(PERMISSION)
def index() -> Any:
    form = FilterForm(request.args)
    page = max(request.args.get("pagina", 1, type=int) or 1, 1)
    if not form.validate():
        return render_template("admin/audit.html", form=form, rows=None, page=page), 400
    scope = current_actor().scope_of(PERMISSION)
    rows, more = audit_page(db_session(), form.audit_filter(), page, PAGE_SIZE, scope)
    _record_view(rows)
    return render_template(
        "admin/audit.html",
        form=form,
        rows=rows,
        page=page,
        more=more,
        local=lambda moment: moment.astimezone(DUTCH_TIME).strftime("%d-%m-%Y %H:%M:%S"),
        role_titles=_role_titles,
        status_labels=STATUS_LABELS,
        subject_labels=SUBJECT_LABELS,
        actor_labels=ACTOR_LABELS,
    )
