"""Logging in: the choice of authenticator, its callback (BSN → person → resident
session) and the mock DigiD page (only in demo, development and test mode)."""

from __future__ import annotations

from typing import Any

from flask import abort, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from stdnum.nl import bsn as bsn_number
from wtforms import StringField
from wtforms.validators import InputRequired

from openregie_portal.access import too_many
from openregie_portal.auth import mock
from openregie_portal.models import PortalAccount
from openregie_portal.settings import PortalSettings
from openregie_portal.web import blueprint
from openregie_portal.web.forms import EmptyForm
from openregie_sdk import audit, db_session, module_settings, public, residents
from openregie_sdk.contributions import AuthenticationRefused, ResidentAuthenticator
from openregie_sdk.db import utcnow
from openregie_sdk.registry import Person

NEXT_KEY = "portal_next"


class MockForm(FlaskForm):
    bsn = StringField(
        _l("Burgerservicenummer (BSN)"),
        validators=[InputRequired(message=_l("Vul een burgerservicenummer in."))],
        description=_l("Negen cijfers, bijvoorbeeld 123456782."),
    )


def _settings() -> PortalSettings:
    settings = module_settings("portal")
    assert isinstance(settings, PortalSettings)
    return settings


def _limited() -> Any | None:
    """Login attempts per client address (setting `login_limit`)."""
    return too_many("portal.login", _settings().login_limit, request.remote_addr or "-")


def _authenticator(auth_id: str) -> ResidentAuthenticator:
    for item in residents.authenticators():
        if item.id == auth_id:
            return item
    abort(404)


def _safe_next(target: str | None) -> str:
    """Only a path inside the portal: never an open redirect."""
    if target and target.startswith("/mijn/") and not target.startswith("//"):
        return target
    return url_for("portal.overview")


@blueprint.get("/inloggen", endpoint="login")
@public
def login() -> Any:
    return render_template(
        "portal/login.html",
        authenticators=residents.authenticators(),
        form=EmptyForm(),
        next=request.args.get("next", ""),
    )


@blueprint.post("/inloggen/<auth_id>", endpoint="login_start")
@public
def login_start(auth_id: str) -> Any:
    authenticator = _authenticator(auth_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    if refused := _limited():
        return refused
    session[NEXT_KEY] = _safe_next(request.form.get("next"))
    callback_url = url_for("portal.login_callback", auth_id=auth_id, _external=True)
    try:
        return authenticator.start(callback_url)
    except AuthenticationRefused as refusal:
        return render_template("portal/login_refused.html", message=str(refusal)), 502


@blueprint.get("/inloggen/<auth_id>/terug", endpoint="login_callback")
@public
def login_callback(auth_id: str) -> Any:
    authenticator = _authenticator(auth_id)
    if refused := _limited():
        return refused
    next_url = _safe_next(session.get(NEXT_KEY))
    try:
        raw = authenticator.callback()
    except AuthenticationRefused as refusal:
        return render_template("portal/login_refused.html", message=str(refusal)), 401
    number = bsn_number.compact(raw) if isinstance(raw, str) else ""
    person = None
    if bsn_number.is_valid(number):
        person = db_session().scalar(select(Person).where(Person.bsn == number))
    if person is None:
        # Same page for an invalid and an unknown BSN: nothing tells whether it exists.
        return render_template("portal/login_unknown.html"), 403
    residents.sign_in(
        person.id,
        auth_id,
        idle_minutes=_settings().idle_minutes,
        home=url_for("portal.logged_out"),
    )
    _note_login(person)
    return redirect(next_url, 303)


def _note_login(person: Person) -> None:
    """Keep the moment of login on the resident's portal account (created on first login),
    and record it in the audit log."""
    db = db_session()
    account = db.scalar(select(PortalAccount).where(PortalAccount.person_id == person.id))
    if account is None:
        account = PortalAccount(person_id=person.id)
        db.add(account)
    account.last_login_at = utcnow()
    audit.record("login", "portal.use", "person", [person.id])
    db.commit()


@blueprint.get("/uitgelogd", endpoint="logged_out")
@public
def logged_out() -> Any:
    return render_template("portal/logged_out.html")


@blueprint.route("/testinlog", methods=["GET", "POST"], endpoint="mock_login")
@public
def mock_login() -> Any:
    mock.require_allowed()
    form = MockForm()
    callback_url = request.values.get("callback", "")
    expected = url_for("portal.login_callback", auth_id=mock.ID, _external=True)
    if callback_url != expected:
        abort(400, description=_("Het veld callback is ongeldig."))
    if request.method == "POST" and (refused := _limited()):
        return refused
    if form.validate_on_submit():
        mock.remember(form.bsn.data.strip())
        return redirect(callback_url, 303)
    status = 400 if form.errors else 200
    return render_template("portal/mock_login.html", form=form, callback=callback_url), status
