"""The forms of the login steps and the account page (each carries a CSRF token)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length, Regexp


def _without_spaces(value: str | None) -> str | None:
    return "".join(value.split()) if value else value


class LoginForm(FlaskForm):
    username = StringField(_l("Gebruikersnaam"), validators=[DataRequired(), Length(max=80)])
    password = PasswordField(_l("Wachtwoord"), validators=[DataRequired(), Length(max=200)])


class CodeForm(FlaskForm):
    code = StringField(
        _l("Code uit uw authenticator-app"),
        filters=[_without_spaces],
        validators=[
            DataRequired(message=_l("Vul de code van 6 cijfers in.")),
            Regexp(r"^\d{6}$", message=_l("Een code bestaat uit 6 cijfers.")),
        ],
    )


class ActionForm(FlaskForm):
    """Carries only the CSRF token; the action is in the URL."""
