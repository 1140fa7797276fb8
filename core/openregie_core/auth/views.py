"""The staff login steps: password → (enrolment of the second factor) → code → logged in;
and logout. Until the code step is done the session holds only a pending state."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from openregie_core.auth import totp
from openregie_core.auth.forms import CodeForm, LoginForm
from openregie_core.auth.lockout import (
    Attempt,
    check_code,
    check_password,
    locked_minutes,
    record_login,
)
from openregie_core.auth.session import end_session, pending_user, start_pending, start_session
from openregie_core.models import User
from openregie_sdk import db_session, public

blueprint = Blueprint("core_auth", __name__)


def wrong_code_message() -> str:
    return _("Deze code klopt niet of is al gebruikt. Vul de nieuwste code uit uw app in.")


def locked_message(user: User) -> str:
    minutes = max(1, locked_minutes(user))
    return ngettext(
        "Dit account is tijdelijk geblokkeerd na te veel mislukte pogingen. "
        "Probeer het over %(num)d minuut opnieuw.",
        "Dit account is tijdelijk geblokkeerd na te veel mislukte pogingen. "
        "Probeer het over %(num)d minuten opnieuw.",
        minutes,
    )


def enrolment_context(secret: str, user: User) -> dict[str, str]:
    """What a page needs to show a new secret: QR code, the secret typed out, the URI."""
    uri = totp.provisioning_uri(secret, user.username)
    return {"qr": totp.qr_data_uri(uri), "secret": totp.grouped(secret), "uri": uri}


def _safe_next(target: str | None) -> str:
    """Only same-site paths are followed after login (no open redirect)."""
    if target and target.startswith("/") and not target.startswith("//"):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("core.dashboard")


def _start_over() -> Any:
    """No (fresh) pending login: back to the password step."""
    expired = bool(session.get("pending_user_id"))
    end_session()
    if expired:
        flash(_("Uw inlogpoging is verlopen. Log opnieuw in."), "error")
    return redirect(url_for("core_auth.login"), 303)


def _locked_out(user: User) -> Any:
    end_session()
    flash(locked_message(user), "error")
    return redirect(url_for("core_auth.login"), 303)


def _complete_login(user: User) -> Any:
    previous = record_login(user)
    db_session().commit()
    return redirect(_safe_next(start_session(user, previous)), 303)


def _status(form: Any) -> int:
    return 400 if request.method == "POST" and form.errors else 200


@blueprint.route("/login", methods=["GET", "POST"])
@public
def login() -> Any:
    form = LoginForm()
    if not form.validate_on_submit():
        return render_template("auth/login.html", form=form, error=None), _status(form)
    db = db_session()
    username = (form.username.data or "").strip().lower()
    user = db.scalar(select(User).where(User.username == username))
    outcome = check_password(db, user, form.password.data or "")
    if outcome is Attempt.OK and user is not None:
        enrolled = totp.is_enrolled(user)
        start_pending(user, request.args.get("next", ""), None if enrolled else totp.new_secret())
        return redirect(url_for("core_auth.code" if enrolled else "core_auth.enrol"), 303)
    if outcome is Attempt.LOCKED and user is not None:
        error, status = locked_message(user), 403
    else:
        error, status = _("Gebruikersnaam of wachtwoord klopt niet."), 401
    return render_template("auth/login.html", form=form, error=error), status


@blueprint.route("/code", methods=["GET", "POST"])
@public
def code() -> Any:
    user = pending_user()
    if user is None:
        return _start_over()
    if not totp.is_enrolled(user):
        return redirect(url_for("core_auth.enrol"), 303)
    form = CodeForm()
    status = 200
    if form.validate_on_submit():
        outcome, _step = check_code(db_session(), user, user.totp_secret or "", form.code.data)
        if outcome is Attempt.OK:
            return _complete_login(user)
        if outcome is Attempt.LOCKED:
            return _locked_out(user)
        form.code.errors.append(wrong_code_message())
        status = 401
    else:
        status = _status(form)
    return render_template("auth/code.html", form=form), status


@blueprint.route("/enrol", methods=["GET", "POST"])
@public
def enrol() -> Any:
    user = pending_user()
    if user is None:
        return _start_over()
    if totp.is_enrolled(user):
        return redirect(url_for("core_auth.code"), 303)
    secret = session.get("enrol_secret")
    if not secret:
        return _start_over()
    form = CodeForm()
    status = 200
    if form.validate_on_submit():
        outcome, step = check_code(db_session(), user, secret, form.code.data)
        if outcome is Attempt.OK:
            totp.enrol(user, secret, step)
            return _complete_login(user)
        if outcome is Attempt.LOCKED:
            return _locked_out(user)
        form.code.errors.append(wrong_code_message())
        status = 401
    else:
        status = _status(form)
    return render_template("auth/enrol.html", form=form, **enrolment_context(secret, user)), status


@blueprint.post("/logout")
@public  # ending one's own session (staff or resident) needs no permission; CSRF applies
def logout() -> Any:
    resident_home = end_session()
    return redirect(resident_home or url_for("core_auth.login"))
