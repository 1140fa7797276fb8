"""Demo data: core's region (municipalities, areas, teams, organisations, residents and
their households) and accounts, then each module's data through `openregie_demo_data`.

Only in demo and development mode. Running it again adds nothing that is already there.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select

from openregie_core.accounts import create_user
from openregie_core.auth.totp import assign_known_secret
from openregie_core.demo_households import seed_residents
from openregie_core.demo_region import DemoMembership, join_teams, seed_region
from openregie_core.models import User
from openregie_core.runtime import CoreRuntime
from openregie_sdk.contributions import DemoContext

DEMO_PASSWORD = "demo-wachtwoord"  # noqa: S105 - documented demo credential, demo mode only
# The second factor of every demo account (base32, for any authenticator app). Documented,
# so no second factor at all: `assign_known_secret` refuses it outside demo/dev/test mode.
DEMO_TOTP_SECRET = "OPENREGIEDEMOGEHEIMVOORALLEDEMOS"  # noqa: S105 - demo mode only


@dataclass(frozen=True)
class DemoAccount:
    """A demo login. `roles` are (role, CBS code of the municipality it holds for);
    team roles come from `memberships`."""

    username: str
    display_name: str
    kind: str
    roles: tuple[tuple[str, str], ...] = ()
    memberships: tuple[DemoMembership, ...] = ()


DEMO_ACCOUNTS = (
    DemoAccount("beheerder", "Fenna Beheer", "functional_admin",
                roles=(("functional_admin", "GM0301"),)),
    DemoAccount("teamleider", "Tom Leider", "team_lead", memberships=(
        DemoMembership("Sociaal Wijkteam Zutphen-Noord", "team_lead", "Gemeente Zutphen", 32),
    )),
    DemoAccount("regisseur", "Rosa Regie", "professional", memberships=(
        DemoMembership("Sociaal Wijkteam Zutphen-Noord", "professional",
                       "Welzijn IJssel en Berkel", 18),
        DemoMembership("Jeugd- en Gezinsteam Lochem-Brummen", "professional",
                       "Welzijn IJssel en Berkel", 8),
    )),
    DemoAccount("beleid", "Bart Beleid", "policy_officer",
                roles=(("policy_officer", "GM0301"), ("policy_officer", "GM0262"))),
)  # fmt: skip


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
    region = seed_region(session)
    # A generator of its own, so the residents do not shift what modules draw from `rng`.
    residents = seed_residents(session, random.Random(f"{seed_value}:residents"), region)
    session.commit()
    created: dict[str, list] = {"user": [], **region.created(), **residents}
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
                roles=[(role, region.municipalities[code]) for role, code in account.roles],
            )
        join_teams(session, existing.id, account.memberships, region)
        assign_known_secret(existing, DEMO_TOTP_SECRET, runtime.settings)
        session.commit()
        created["user"].append(existing.id)
    progress("core: demo region, residents and accounts")

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
