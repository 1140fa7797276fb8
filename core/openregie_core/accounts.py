"""Creating user accounts (CLI, demo data and, later, the admin pages use this one path)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import Session

from openregie_core.auth.passwords import hash_password, password_problem
from openregie_core.hooks.facade import Hooks
from openregie_core.models import Role, RoleAssignment, User
from openregie_core.models.users import USER_KINDS
from openregie_sdk.contributions import UserCreated


class AccountError(Exception):
    """The account cannot be created: `field` names the field, `message` the problem (in the
    language of the request; `str()` gives "field: message")."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def create_user(
    session: Session,
    hooks: Hooks,
    *,
    username: str,
    display_name: str,
    kind: str,
    password: str,
    email: str | None = None,
    roles: Sequence[tuple[str, uuid.UUID | None]] | None = None,
) -> User:
    """Create an account. `roles` are (role name, municipality id or None for the whole
    installation). By default: none for professionals and team leads, whose permissions
    come from their team memberships (scoped to each team: need-to-know); for the other
    kinds the role named after the kind, installation-wide."""
    username = username.strip().lower()
    if (
        not username
        or len(username) > 80
        or not username.replace(".", "").replace("-", "").isalnum()
    ):
        raise AccountError(
            "username", gettext("gebruik 1 tot 80 letters, cijfers, punten of koppeltekens")
        )
    if not display_name.strip():
        raise AccountError("name", gettext("mag niet leeg zijn"))
    if kind not in USER_KINDS:
        raise AccountError(
            "kind", gettext("moet een van deze zijn: %(options)s", options=", ".join(USER_KINDS))
        )
    if email is not None and ("@" not in email or len(email) > 254):
        raise AccountError("email", gettext("is geen e-mailadres"))
    problem = password_problem(password)
    if problem:
        raise AccountError("password", problem)
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise AccountError(
            "username", gettext("%(username)s is al in gebruik", username=repr(username))
        )
    user = User(
        username=username,
        display_name=display_name.strip(),
        kind=kind,
        email=email,
        password_hash=hash_password(password),
    )
    session.add(user)
    session.flush()
    assign_roles(session, user, roles if roles is not None else default_roles(kind))
    hooks.user_created(session, UserCreated(user_id=user.id, username=username, kind=kind))
    session.commit()
    return user


# Kinds whose permissions come from team memberships only. Their kind's role held
# installation-wide would let a professional read every case of the installation.
TEAM_KINDS = frozenset({"professional", "team_lead"})


def default_roles(kind: str) -> list[tuple[str, uuid.UUID | None]]:
    """The role assignments a new account of `kind` gets when none are given."""
    return [] if kind in TEAM_KINDS else [(kind, None)]


def assign_roles(
    session: Session, user: User, roles: Sequence[tuple[str, uuid.UUID | None]]
) -> None:
    """Give `user` each (role name, municipality id or None) assignment; unknown roles raise."""
    for name, municipality_id in roles:
        role = session.scalar(select(Role).where(Role.name == name))
        if role is None:
            raise AccountError(
                "role",
                gettext(
                    "er is geen rol %(name)s (voer `openregie db upgrade` uit)", name=repr(name)
                ),
            )
        session.add(
            RoleAssignment(user_id=user.id, role_id=role.id, municipality_id=municipality_id)
        )
