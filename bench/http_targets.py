"""What the HTTP benchmarks request, taken from a benchmark database (bench/dataset): a
professional of the team with the most open cases, the households and cases of that
team, adult residents of those cases, and signed session cookies and an API token for
them (made with the installation's secret key, as a login would)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from sqlalchemy import create_engine, text

COOKIE = "openregie_session"


@dataclass
class Targets:
    user_id: uuid.UUID
    session_version: int
    team_id: uuid.UUID
    household_ids: list[uuid.UUID]
    case_ids: list[uuid.UUID]
    resident_ids: list[uuid.UUID]
    name_prefixes: list[str] = field(default_factory=list)  # surnames in the team's households
    cookies: dict[str, str] = field(default_factory=dict)  # staff, and one per resident


PROFESSIONAL = text(
    """
    SELECT m.user_id, u.session_version, m.team_id, count(*) AS cases
    FROM core_membership m
    JOIN core_user u ON u.id = m.user_id AND u.active
    JOIN casemanagement_case c ON c.team_id = m.team_id AND c.closed_on IS NULL
    WHERE m.role = 'professional' AND m.end_on IS NULL
    GROUP BY m.user_id, u.session_version, m.team_id
    ORDER BY cases DESC, m.user_id
    LIMIT 1
    """
)
CASES = text(
    """
    SELECT c.id, c.household_id FROM casemanagement_case c
    WHERE c.team_id = :team AND c.closed_on IS NULL ORDER BY c.id LIMIT :limit
    """
)
PREFIXES = text(
    """
    SELECT DISTINCT left(p.search_name, 5) AS prefix FROM core_household_member m
    JOIN core_person p ON p.id = m.person_id
    WHERE m.household_id = ANY(:households) AND p.search_name ~ '^[a-z]{5}'
    ORDER BY prefix LIMIT 50
    """
)
RESIDENTS = text(
    """
    SELECT DISTINCT p.id FROM casemanagement_case_person cp
    JOIN core_person p ON p.id = cp.person_id
    WHERE cp.case_id = ANY(:cases) AND p.birth_date < :adult
    ORDER BY p.id LIMIT :limit
    """
)


def pick(database_url: str, limit: int = 200) -> Targets:
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            row = connection.execute(PROFESSIONAL).one()
            cases = connection.execute(CASES, {"team": row.team_id, "limit": limit}).all()
            case_ids = [case.id for case in cases]
            adult = dt.date.today() - dt.timedelta(days=18 * 366)
            residents = connection.scalars(
                RESIDENTS, {"cases": case_ids, "adult": adult, "limit": 50}
            ).all()
            households = sorted({case.household_id for case in cases})
            prefixes = connection.scalars(PREFIXES, {"households": households}).all()
    finally:
        engine.dispose()
    return Targets(
        user_id=row.user_id,
        session_version=row.session_version,
        team_id=row.team_id,
        household_ids=households,
        case_ids=case_ids,
        resident_ids=list(residents),
        name_prefixes=list(prefixes),
    )


def sign_cookies(targets: Targets, secret_key: str) -> None:
    """The session cookies a login would give the professional and each resident."""
    app = Flask("bench")
    app.secret_key = secret_key
    serializer = SecureCookieSessionInterface().get_signing_serializer(app)
    assert serializer is not None
    now = dt.datetime.now(dt.UTC).timestamp()
    staff: dict[str, Any] = {
        "user_id": str(targets.user_id),
        "session_version": targets.session_version,
        "seen": now,
        "started": now,
    }
    targets.cookies["staff"] = f"{COOKIE}={serializer.dumps(staff)}"
    for resident in targets.resident_ids:
        session = {
            "resident_id": str(resident),
            "resident_for": str(resident),
            "resident_method": "digid",
            "resident_idle": 60,
            "resident_home": "/mijn/",
            "seen": now,
            "started": now,
        }
        targets.cookies[str(resident)] = f"{COOKIE}={serializer.dumps(session)}"


def api_token(app: Any, targets: Targets) -> str:
    """A personal API token of the professional (case and person reads and writes)."""
    from openregie_core.auth.tokens import create_client

    scopes = [
        "casemanagement.case.read",
        "casemanagement.case.write",
        "core.person.read",
    ]
    with app.extensions["openregie"].session_factory() as session:
        _client, token = create_client(
            session,
            name=f"benchmark {uuid.uuid4().hex[:6]}",
            scopes=scopes,
            known_permissions=scopes,
            user_id=targets.user_id,
            expires_at=dt.datetime.now(dt.UTC) + dt.timedelta(hours=2),
        )
    return token
