"""Personal API tokens: a user's own token that acts as them on the API — their teams,
relations and municipalities — narrowed to the permissions they choose from their own.

A token skips the second factor, so making one needs `core.api.personal_tokens`, which no
seeded role holds: the functional admin grants it deliberately.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import DateField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from openregie_core.auth.forms import ActionForm
from openregie_core.auth.tokens import ApiClientError, create_client, revoke, status
from openregie_core.models import ApiClient
from openregie_sdk import current_actor, db_session, requires

blueprint = Blueprint("core_personal_tokens", __name__)
PERMISSION = "core.api.personal_tokens"
MAX_DAYS = 366


class PersonalTokenForm(FlaskForm):
    name = StringField(_l("Waarvoor is de token?"), validators=[DataRequired(), Length(max=120)])
    scopes = SelectMultipleField(
        _l("Rechten"),
        option_widget=CheckboxInput(),
        widget=ListWidget(prefix_label=False),
        validators=[DataRequired(message=_l("Kies minstens één recht."))],
    )
    expires_on = DateField(_l("Verloopt op"), validators=[DataRequired()])


def _form() -> PersonalTokenForm:
    form = PersonalTokenForm()
    registry = current_app.extensions["openregie"].permissions
    own = sorted(current_actor().permissions & set(registry))
    form.scopes.choices = [(name, f"{_(registry[name].title)} ({name})") for name in own]
    return form


def _page(form: PersonalTokenForm, code: int = 200) -> Any:
    tokens = (
        db_session()
        .scalars(
            select(ApiClient)
            .where(ApiClient.user_id == current_actor().id)
            .order_by(ApiClient.created_at.desc())
        )
        .all()
    )
    return render_template(
        "auth/personal_tokens.html",
        form=form,
        tokens=tokens,
        status=status,
        action_form=ActionForm(),
        max_days=MAX_DAYS,
    ), code


@blueprint.get("")
@requires(PERMISSION)
def index() -> Any:
    return _page(_form())


@blueprint.post("")
@requires(PERMISSION)
def create() -> Any:
    form = _form()
    if not form.validate_on_submit():
        return _page(form, 400)
    today = dt.datetime.now(dt.UTC).date()
    if not today < form.expires_on.data <= today + dt.timedelta(days=MAX_DAYS):
        form.expires_on.errors.append(_("Kies een datum na vandaag en binnen een jaar."))
        return _page(form, 400)
    actor = current_actor()
    try:
        client, token = create_client(
            db_session(),
            name=form.name.data or "",
            scopes=form.scopes.data or [],
            known_permissions=actor.permissions,
            expires_at=dt.datetime.combine(form.expires_on.data, dt.time(), dt.UTC),
            created_by_id=actor.id,
            user_id=actor.id,
        )
    except ApiClientError as exc:
        db_session().rollback()
        form.name.errors.append(str(exc))
        return _page(form, 400)
    page = render_template("admin/api_client_created.html", client=client, token=token)
    return page, 201, {"Cache-Control": "no-store"}


@blueprint.post("/<uuid:token_id>/revoke")
@requires(PERMISSION)
def revoke_token(token_id: uuid.UUID) -> Any:
    if not ActionForm().validate_on_submit():
        abort(400)
    client = db_session().get(ApiClient, token_id)
    if client is None or client.user_id != current_actor().id:
        abort(404)
    revoke(db_session(), client)
    flash(_("De token is ingetrokken."), "info")
    return redirect(url_for("core_personal_tokens.index"), 303)
