"""Demo data: core's accounts, then each module's data through `openregie_demo_data`.

Only in demo and development mode. Running it again adds nothing that is already there.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select

from openregie_core.accounts import create_user
from openregie_core.models import User
from openregie_core.runtime import CoreRuntime
from openregie_sdk.contributions import DemoContext

DEMO_PASSWORD = "demo-wachtwoord"  # noqa: S105 - documented demo credential, demo mode only


@dataclass(frozen=True)
class DemoAccount:
    username: str
    display_name: str
    kind: str


DEMO_ACCOUNTS = (
    DemoAccount("beheerder", "Fenna Beheer", "functional_admin"),
    DemoAccount("teamleider", "Tom Leider", "team_lead"),
    DemoAccount("regisseur", "Rosa Regie", "professional"),
    DemoAccount("beleid", "Bart Beleid", "policy_officer"),
)


class DemoError(Exception):
    pass


def seed(runtime: CoreRuntime, seed_value: int, progress: Callable[[str], None]) -> list[str]:
    """Seed everything; returns the problems of modules whose demo data failed."""
    if runtime.settings.mode not in ("demo", "development", "test"):
        raise DemoError(
            "demo data is only for demo and development installations "
            "(set OPENREGIE_MODE=demo or development)"
        )
    session = runtime.session()
    rng = random.Random(seed_value)
    created: dict[str, list] = {"user": []}
    for account in DEMO_ACCOUNTS:
        existing = session.scalar(select(User).where(User.username == account.username))
        if existing is None:
            existing = create_user(
                session,
                runtime.hooks,
                username=account.username,
                display_name=account.display_name,
                kind=account.kind,
                password=DEMO_PASSWORD,
            )
        created["user"].append(existing.id)
    progress("core: demo accounts")

    problems = []
    context = DemoContext(session=session, rng=rng, progress=progress, created=created)
    for module_id, implementation in runtime.hooks.demo_data_implementations():
        try:
            implementation(context=context)
            session.commit()
            progress(f"{module_id}: demo data")
        except Exception as exc:
            session.rollback()
            problems.append(f"{module_id}: {type(exc).__name__}: {exc}")
    return problems
