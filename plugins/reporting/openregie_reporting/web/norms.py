"""The formation norms page of the functional admin (`/rapportage/formatienormen`): the
norms per team and organisation (chosen by name), a form to set one, a page to change its
hours and a button to remove it. Refused input comes back with 400 and the message next to
its field; nothing is written then. Changes are audited by `openregie_reporting.norms`."""

from __future__ import annotations

import uuid
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from openregie_reporting.models import FormationNorm
from openregie_reporting.norms import (
    MANAGE,
    NormError,
    NormErrors,
    change_norm,
    create_norm,
    remove_norm,
)
from openregie_reporting.web import blueprint
from openregie_sdk import db_session, requires
from openregie_sdk.registry import Organisation, Team


def _norm_rows() -> list[Any]:
    return list(
        db_session().execute(
            select(
                FormationNorm,
                Team.name.label("team"),
                Organisation.name.label("organisation"),
            )
            .outerjoin(Team, Team.id == FormationNorm.team_id)
            .outerjoin(Organisation, Organisation.id == FormationNorm.organisation_id)
            .order_by(Team.name, Organisation.name)
        )
    )


def _page(errors: dict[str, str] | None = None, values: dict[str, str] | None = None) -> Any:
    session = db_session()
    return (
        render_template(
            "reporting/norms.html",
            rows=_norm_rows(),
            teams=list(session.scalars(select(Team).order_by(Team.name))),
            organisations=list(session.scalars(select(Organisation).order_by(Organisation.name))),
            errors=errors or {},
            values=values or {},
        ),
        400 if errors else 200,
    )


def _norm(norm_id: uuid.UUID) -> FormationNorm:
    norm = db_session().get(FormationNorm, norm_id)
    if norm is None:
        abort(404)
    return norm


@blueprint.get("/formatienormen", endpoint="norms")
@requires(MANAGE)
def norms_page() -> Any:
    return _page()


@blueprint.post("/formatienormen", endpoint="norm_create")
@requires(MANAGE)
def norm_create() -> Any:
    values = {k: request.form.get(k, "") for k in ("team", "organisation", "hours")}
    try:
        create_norm(values["team"], values["organisation"], values["hours"])
    except NormErrors as refused:
        db_session().rollback()
        return _page({e.field: e.message for e in refused.errors}, values)
    db_session().commit()
    flash(_("De formatienorm is vastgelegd."))
    return redirect(url_for("reporting.norms"))


@blueprint.route("/formatienormen/<uuid:norm_id>", methods=["GET", "POST"], endpoint="norm_edit")
@requires(MANAGE)
def norm_edit(norm_id: uuid.UUID) -> Any:
    norm = _norm(norm_id)
    session = db_session()
    team = session.get(Team, norm.team_id)
    organisation = session.get(Organisation, norm.organisation_id)
    error = None
    hours = f"{norm.hours_per_week:.2f}".replace(".", ",")
    if request.method == "POST":
        hours = request.form.get("hours", "")
        try:
            change_norm(norm, hours)
        except NormError as refused:
            session.rollback()
            error = refused.message
        else:
            session.commit()
            flash(_("De formatienorm is gewijzigd."))
            return redirect(url_for("reporting.norms"))
    return (
        render_template(
            "reporting/norm_edit.html",
            norm=norm,
            team=team,
            organisation=organisation,
            hours=hours,
            error=error,
        ),
        400 if error else 200,
    )


@blueprint.post("/formatienormen/<uuid:norm_id>/verwijderen", endpoint="norm_delete")
@requires(MANAGE)
def norm_delete(norm_id: uuid.UUID) -> Any:
    remove_norm(_norm(norm_id))
    db_session().commit()
    flash(_("De formatienorm is verwijderd."))
    return redirect(url_for("reporting.norms"))
