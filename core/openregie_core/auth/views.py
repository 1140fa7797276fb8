"""Login and logout pages for staff."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from openregie_core.auth.passwords import verify_password
from openregie_core.auth.session import end_session, start_session
from openregie_core.models import User
from openregie_sdk import db_session, public, requires

blueprint = Blueprint("core_auth", __name__)


class LoginForm(FlaskForm):
    username = StringField("Gebruikersnaam", validators=[DataRequired(), Length(max=80)])
    password = PasswordField("Wachtwoord", validators=[DataRequired(), Length(max=200)])


def _safe_next(target: str | None) -> str:
    """Only same-site paths are followed after login (no open redirect)."""
    if target and target.startswith("/") and not target.startswith("//"):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("core.dashboard")


@blueprint.route("/login", methods=["GET", "POST"])
@public
def login() -> Any:
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        user = db_session().scalar(select(User).where(User.username == form.username.data))
        if verify_password(user.password_hash if user else None, form.password.data or "") and (
            user is not None and user.active
        ):
            start_session(user)
            return redirect(_safe_next(request.args.get("next")))
        error = _("Gebruikersnaam of wachtwoord klopt niet.")
    status = 401 if error else 200
    return render_template("auth/login.html", form=form, error=error), status


@blueprint.post("/logout")
@requires("core.session.end")
def logout() -> Any:
    end_session()
    return redirect(url_for("core_auth.login"))
