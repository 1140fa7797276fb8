"""“Mijn account”: last logins, log out everywhere, and linking a new authenticator app
(which first asks a code from the current one)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _

from openregie_core.auth import totp
from openregie_core.auth.forms import ActionForm, CodeForm
from openregie_core.auth.lockout import Attempt, check_code
from openregie_core.auth.session import end_all_sessions
from openregie_core.auth.views import enrolment_context, locked_message, wrong_code_message
from openregie_core.models import User
from openregie_core.web.moments import local_time
from openregie_sdk import ActorKind, current_actor, db_session, requires
from openregie_sdk.db import utcnow

blueprint = Blueprint("core_account", __name__)

# How long the new secret waits in the session for its first code.
REENROL_MINUTES = 10


def _user() -> User:
    actor = current_actor()
    user = db_session().get(User, actor.id) if actor.kind is ActorKind.USER else None
    if user is None:
        abort(404)
    return user


def _page(user: User, code_form: CodeForm, status: int = 200) -> Any:
    previous = session.get("previous_login")
    return render_template(
        "auth/account.html",
        user=user,
        last_login=local_time(user.last_login_at),
        previous_login=(
            local_time(dt.datetime.fromtimestamp(previous, dt.UTC)) if previous else None
        ),
        enrolled_on=local_time(user.totp_confirmed_at),
        action_form=ActionForm(),
        code_form=code_form,
    ), status


@blueprint.get("")
@requires("core.session.end")
def index() -> Any:
    return _page(_user(), CodeForm())


@blueprint.post("/logout-everywhere")
@requires("core.session.end")
def logout_everywhere() -> Any:
    end_all_sessions(_user())
    flash(_("U bent op al uw apparaten uitgelogd."), "info")
    return redirect(url_for("core_auth.login"), 303)


@blueprint.post("/second-factor")
@requires("core.session.end")
def reenrol_start() -> Any:
    user = _user()
    form = CodeForm()
    if not form.validate_on_submit():
        return _page(user, form, 400)
    outcome, _step = check_code(db_session(), user, user.totp_secret or "", form.code.data)
    if outcome is Attempt.LOCKED:
        flash(locked_message(user), "error")
        return redirect(url_for("core_account.index"), 303)
    if outcome is Attempt.WRONG:
        form.code.errors.append(wrong_code_message())
        return _page(user, form, 400)
    db_session().commit()
    session["reenrol_secret"] = totp.new_secret()
    session["reenrol_at"] = utcnow().timestamp()
    return redirect(url_for("core_account.reenrol_confirm"), 303)


def _pending_secret() -> str | None:
    if utcnow().timestamp() - session.get("reenrol_at", 0) > REENROL_MINUTES * 60:
        return None
    return session.get("reenrol_secret")


def _forget_pending_secret() -> None:
    session.pop("reenrol_secret", None)
    session.pop("reenrol_at", None)


@blueprint.route("/second-factor/new", methods=["GET", "POST"])
@requires("core.session.end")
def reenrol_confirm() -> Any:
    user = _user()
    secret = _pending_secret()
    if secret is None:
        _forget_pending_secret()
        flash(_("Vul eerst een code uit uw huidige app in."), "error")
        return redirect(url_for("core_account.index"), 303)
    form = CodeForm()
    status = 200
    if form.validate_on_submit():
        outcome, step = check_code(db_session(), user, secret, form.code.data)
        if outcome is Attempt.OK:
            totp.enrol(user, secret, step)
            db_session().commit()
            _forget_pending_secret()
            flash(_("Uw nieuwe app is gekoppeld. Codes uit de oude app werken niet meer."), "info")
            return redirect(url_for("core_account.index"), 303)
        if outcome is Attempt.LOCKED:
            _forget_pending_secret()
            flash(locked_message(user), "error")
            return redirect(url_for("core_account.index"), 303)
        form.code.errors.append(wrong_code_message())
        status = 400
    elif form.is_submitted():
        status = 400
    return render_template(
        "auth/reenrol.html", form=form, **enrolment_context(secret, user)
    ), status
