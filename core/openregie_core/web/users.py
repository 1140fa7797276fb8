"""The functional admin's pages for users and roles: create accounts, assign roles for the
installation or one municipality, and edit which permissions a role bundles."""

from __future__ import annotations

import uuid
from collections import defaultdict
from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, Optional

from openregie_core.accounts import AccountError, create_user
from openregie_core.i18n import N_
from openregie_core.models import Role, RoleAssignment, RolePermission, User
from openregie_core.models.users import USER_KINDS
from openregie_sdk import db_session, requires
from openregie_sdk.registry import Membership, Municipality, Team

blueprint = Blueprint("core_users", __name__)

KIND_LABELS = {
    "professional": N_("Professional"),
    "team_lead": N_("Teamleider"),
    "functional_admin": N_("Functioneel beheerder"),
    "policy_officer": N_("Beleidsmedewerker"),
}


class UserForm(FlaskForm):
    username = StringField(_l("Gebruikersnaam"), validators=[DataRequired(), Length(max=80)])
    display_name = StringField(_l("Naam"), validators=[DataRequired(), Length(max=200)])
    email = EmailField(_l("E-mailadres"), validators=[Optional(), Email(), Length(max=254)])
    kind = SelectField(
        _l("Soort account"), choices=[SelectChoice(k, _l(KIND_LABELS[k])) for k in USER_KINDS]
    )
    password = PasswordField(
        _l("Eerste wachtwoord (minstens 12 tekens)"), validators=[DataRequired()]
    )


class AssignmentForm(FlaskForm):
    role = SelectField(_l("Rol"), validators=[DataRequired()])
    municipality = SelectField(_l("Geldt voor"), validators=[Optional()])


class EmptyForm(FlaskForm):
    """Only the CSRF token."""


def _runtime() -> Any:
    return current_app.extensions["openregie"]


@blueprint.route("/", methods=["GET", "POST"])
@requires("core.users.manage")
def users() -> Any:
    session = db_session()
    form = UserForm()
    if form.validate_on_submit():
        try:
            user = create_user(
                session,
                _runtime().hooks,
                username=form.username.data or "",
                display_name=form.display_name.data or "",
                kind=form.kind.data or "",
                email=form.email.data or None,
                password=form.password.data or "",
            )
        except AccountError as exc:
            session.rollback()
            target = {"name": "display_name"}.get(exc.field, exc.field)
            getattr(form, target, form.username).errors.append(exc.message)
        else:
            flash(_("Account %(name)s is aangemaakt.", name=user.username), "info")
            return redirect(url_for("core_users.user", user_id=user.id), 303)
    listed = session.scalars(select(User).order_by(User.display_name)).all()
    status = 400 if form.errors else 200
    return render_template("admin/users.html", users=listed, form=form, kinds=KIND_LABELS), status


def _assignment_form(session: Any) -> AssignmentForm:
    form = AssignmentForm()
    form.role.choices = [
        (str(r.id), _(r.title)) for r in session.scalars(select(Role).order_by(Role.title))
    ]
    form.municipality.choices = [("", _("De hele installatie"))] + [
        (str(m.id), f"{m.name} ({m.cbs_code})")
        for m in session.scalars(select(Municipality).order_by(Municipality.name))
    ]
    return form


@blueprint.route("/<uuid:user_id>", methods=["GET", "POST"])
@requires("core.users.manage")
def user(user_id: uuid.UUID) -> Any:
    session = db_session()
    account = session.get(User, user_id)
    if account is None:
        abort(404)
    form = _assignment_form(session)
    if form.validate_on_submit():
        municipality = uuid.UUID(form.municipality.data) if form.municipality.data else None
        role_id = uuid.UUID(form.role.data)
        exists = session.scalar(
            select(RoleAssignment.id).where(
                RoleAssignment.user_id == account.id,
                RoleAssignment.role_id == role_id,
                RoleAssignment.municipality_id.is_(None)
                if municipality is None
                else RoleAssignment.municipality_id == municipality,
            )
        )
        if exists is None:
            session.add(
                RoleAssignment(user_id=account.id, role_id=role_id, municipality_id=municipality)
            )
            session.commit()
            flash(_("De rol is toegekend."), "info")
        return redirect(url_for("core_users.user", user_id=account.id), 303)
    assignments = session.execute(
        select(RoleAssignment, Municipality)
        .outerjoin(Municipality, Municipality.id == RoleAssignment.municipality_id)
        .where(RoleAssignment.user_id == account.id)
    ).all()
    memberships = session.execute(
        select(Membership, Team)
        .join(Team, Team.id == Membership.team_id)
        .where(Membership.user_id == account.id)
        .order_by(Membership.start_on.desc())
    ).all()
    return render_template(
        "admin/user.html",
        account=account,
        assignments=assignments,
        memberships=memberships,
        form=form,
        remove_form=EmptyForm(),
        kinds=KIND_LABELS,
    ), 400 if form.errors else 200


@blueprint.post("/<uuid:user_id>/rollen/<uuid:assignment_id>/intrekken")
@requires("core.users.manage")
def revoke(user_id: uuid.UUID, assignment_id: uuid.UUID) -> Any:
    session = db_session()
    if not EmptyForm().validate_on_submit():
        abort(400)
    assignment = session.get(RoleAssignment, assignment_id)
    if assignment is None or assignment.user_id != user_id:
        abort(404)
    session.delete(assignment)
    session.commit()
    flash(_("De rol is ingetrokken."), "info")
    return redirect(url_for("core_users.user", user_id=user_id), 303)


@blueprint.post("/<uuid:user_id>/<any(ontgrendelen, 'tweede-factor-resetten'):action>")
@requires("core.users.manage")
def security_action(user_id: uuid.UUID, action: str) -> Any:
    """Unlock an account locked after failed attempts, or reset its second factor (the
    user enrols a new one at the next login; all their sessions end)."""
    session = db_session()
    if not EmptyForm().validate_on_submit():
        abort(400)
    account = session.get(User, user_id)
    if account is None:
        abort(404)
    account.failed_logins = 0
    account.locked_until = None
    if action == "tweede-factor-resetten":
        account.totp_secret = None
        account.totp_confirmed_at = None
        account.session_version += 1
        flash(
            _(
                "De tweede factor van %(name)s is gewist; bij de volgende keer inloggen "
                "stelt deze gebruiker een nieuwe in.",
                name=account.display_name,
            ),
            "info",
        )
    else:
        flash(_("Het account van %(name)s is ontgrendeld.", name=account.display_name), "info")
    session.commit()
    return redirect(url_for("core_users.user", user_id=account.id), 303)


@blueprint.route("/rollen", methods=["GET"])
@requires("core.users.manage")
def roles() -> Any:
    session = db_session()
    listed = session.scalars(select(Role).order_by(Role.title)).all()
    return render_template("admin/roles.html", roles=listed)


@blueprint.route("/rollen/<uuid:role_id>", methods=["GET", "POST"])
@requires("core.users.manage")
def role(role_id: uuid.UUID) -> Any:
    session = db_session()
    found = session.get(Role, role_id)
    if found is None:
        abort(404)
    registry = _runtime().permissions
    form = EmptyForm()
    if form.validate_on_submit():
        chosen = set(request.form.getlist("permission"))
        unknown = chosen - set(registry)
        if unknown:
            abort(
                400, description=_("Onbekende rechten: %(names)s", names=", ".join(sorted(unknown)))
            )
        found.permissions = [RolePermission(permission=name) for name in sorted(chosen)]
        session.commit()
        flash(
            _(
                "De rechten van %(role)s zijn opgeslagen. Ze gelden vanaf het volgende verzoek.",
                role=_(found.title),
            ),
            "info",
        )
        return redirect(url_for("core_users.role", role_id=found.id), 303)
    held = {p.permission for p in found.permissions}
    grouped: dict[str, list[Any]] = defaultdict(list)
    for permission in sorted(registry.values(), key=lambda p: p.name):
        grouped[permission.name.split(".", 1)[0]].append(permission)
    return render_template("admin/role.html", role=found, grouped=grouped, held=held, form=form)
