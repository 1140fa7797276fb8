"""API clients: the functional admin's pages (create, list, revoke; a token is shown once).
The API route `GET /api/v1/core/me` that tells a caller who it is lives in `api.me`."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import DateField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from openregie_core.auth.forms import ActionForm
from openregie_core.auth.tokens import ApiClientError, create_client, revoke, status
from openregie_core.i18n import N_
from openregie_core.models import ApiClient
from openregie_core.web.moments import local_time
from openregie_sdk import current_actor, db_session, requires
from openregie_sdk.registry import Municipality

admin_blueprint = Blueprint("core_api_clients", __name__)

STATUS_LABELS = {"active": N_("Actief"), "revoked": N_("Ingetrokken"), "expired": N_("Verlopen")}


class ApiClientForm(FlaskForm):
    name = StringField(
        _l("Naam van de koppeling"),
        validators=[DataRequired(message=_l("Geef de koppeling een naam.")), Length(max=120)],
    )
    scopes = SelectMultipleField(
        _l("Rechten"),
        option_widget=CheckboxInput(),
        widget=ListWidget(prefix_label=False),
        validators=[DataRequired(message=_l("Kies minstens één recht."))],
    )
    municipality = SelectField(_l("Gemeente"), validators=[Optional()])
    expires_on = DateField(
        _l("Verloopt op (optioneel)"),
        validators=[Optional()],
        description=_l("Vanaf 00:00 uur (UTC) op deze datum werkt de token niet meer."),
    )

    def fill_choices(self) -> None:
        permissions = current_app.extensions["openregie"].permissions
        self.scopes.choices = [
            (name, f"{_(permission.title)} ({name})")
            for name, permission in sorted(permissions.items())
        ]
        municipalities = db_session().scalars(select(Municipality).order_by(Municipality.name))
        self.municipality.choices = [("", _("Alle gemeenten"))] + [
            (str(m.id), f"{m.name} ({m.cbs_code})") for m in municipalities
        ]


def _rows() -> list[dict[str, Any]]:
    clients = db_session().scalars(select(ApiClient).order_by(ApiClient.created_at.desc()))
    municipalities = dict(db_session().execute(select(Municipality.id, Municipality.name)).all())
    return [
        {
            "client": client,
            "status": status(client),
            "status_label": STATUS_LABELS[status(client)],
            "municipality": municipalities.get(client.municipality_id) or _("Alle gemeenten"),
            "last_used": local_time(client.last_used_at) or _("nog nooit"),
            "expires": local_time(client.expires_at) or _("niet"),
        }
        for client in clients
    ]


def _list_page(form: ApiClientForm, status_code: int = 200) -> Any:
    return render_template(
        "admin/api_clients.html", form=form, rows=_rows(), revoke_form=ActionForm()
    ), status_code


@admin_blueprint.get("")
@requires("core.api_clients.manage")
def index() -> Any:
    form = ApiClientForm()
    form.fill_choices()
    return _list_page(form)


@admin_blueprint.post("")
@requires("core.api_clients.manage")
def create() -> Any:
    form = ApiClientForm()
    form.fill_choices()
    if not form.validate_on_submit():
        return _list_page(form, 400)
    expires_at = None
    if form.expires_on.data is not None:
        expires_at = dt.datetime.combine(form.expires_on.data, dt.time(), dt.UTC)
        if form.expires_on.data <= dt.datetime.now(dt.UTC).date():
            form.expires_on.errors.append(_("Kies een datum na vandaag."))
            return _list_page(form, 400)
    try:
        client, token = create_client(
            db_session(),
            name=form.name.data or "",
            scopes=form.scopes.data or [],
            known_permissions=current_app.extensions["openregie"].permissions,
            municipality_id=uuid.UUID(form.municipality.data) if form.municipality.data else None,
            expires_at=expires_at,
            created_by_id=current_actor().id,
        )
    except ApiClientError as exc:
        db_session().rollback()
        form.name.errors.append(str(exc))
        return _list_page(form, 400)
    page = render_template("admin/api_client_created.html", client=client, token=token)
    # The token exists only in this response: no caches, no history copies.
    return page, 201, {"Cache-Control": "no-store"}


@admin_blueprint.post("/<uuid:client_id>/revoke")
@requires("core.api_clients.manage")
def revoke_client(client_id: uuid.UUID) -> Any:
    form = ActionForm()
    client = db_session().get(ApiClient, client_id)
    if client is None:
        abort(404)
    if not form.validate_on_submit():
        abort(400)
    revoke(db_session(), client)
    flash(_("De token van %(name)s is ingetrokken.", name=client.name), "info")
    return redirect(url_for("core_api_clients.index"), 303)
