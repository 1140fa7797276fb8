"""The raw baseline of the HTTP benchmarks: a minimal Flask app doing the same work as
OpenRegie's pages with hand-written SQL through psycopg — who the session's user is and
which teams they are in, the data, and one audit row per person shown — and answering a
small HTML page. Served by gunicorn like the real app:

    BENCH_DATABASE_URL=postgresql://… gunicorn -w 2 'bench.http_baseline:app'

Routes: `/dossier/<household>` (the household page: the household, its current members
and the household's open cases in the user's teams), `/werklijst` (the user's team
worklist: 25 open cases with their household's name), `/zoek?naam=` (person search by
surname prefix within the user's teams' households) and `/mijn` (a resident's overview:
cases, the plan's goals and their own open actions; the resident from `X-Bench-Resident`).
The user comes from the `X-Bench-User` header (the real app's session lookup is one
primary-key read, done here too).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import os
import uuid

import psycopg
from flask import Flask, abort, request

app = Flask(__name__)
_connection: psycopg.Connection | None = None

AUDIT_TABLE = """
CREATE TABLE IF NOT EXISTS bench_raw_audit (
    id bigserial PRIMARY KEY, trace_id uuid NOT NULL, actor_id uuid, action text NOT NULL,
    activity text NOT NULL, subject_id text NOT NULL, status text NOT NULL,
    created_at timestamptz NOT NULL, hash text NOT NULL
)
"""


def connection() -> psycopg.Connection:
    global _connection
    if _connection is None or _connection.closed:
        url = os.environ["BENCH_DATABASE_URL"].replace("postgresql+psycopg://", "postgresql://")
        _connection = psycopg.connect(url)
    return _connection


def _user(cursor: psycopg.Cursor, user_id: str) -> list[uuid.UUID]:
    """The user's current teams (the real app also loads roles and grants)."""
    cursor.execute("SELECT id FROM core_user WHERE id = %s AND active", (user_id,))
    if cursor.fetchone() is None:
        abort(401)
    cursor.execute(
        "SELECT team_id FROM core_membership WHERE user_id = %s AND start_on <= current_date "
        "AND (end_on IS NULL OR end_on > current_date)",
        (user_id,),
    )
    return [row[0] for row in cursor.fetchall()]


def _audit(cursor: psycopg.Cursor, user_id: str, activity: str, subjects: list[str]) -> None:
    trace = uuid.uuid4()
    now = dt.datetime.now(dt.UTC)
    rows = [
        (
            trace,
            user_id,
            "read",
            activity,
            subject,
            "ok",
            now,
            hashlib.sha256(f"{trace}{subject}{now}".encode()).hexdigest(),
        )
        for subject in subjects
    ]
    cursor.executemany(
        "INSERT INTO bench_raw_audit (trace_id, actor_id, action, activity, subject_id, "
        "status, created_at, hash) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
        rows,
    )


@app.get("/dossier/<uuid:household_id>")
def dossier(household_id: uuid.UUID) -> str:
    user_id = request.headers["X-Bench-User"]
    db = connection()
    with db.cursor() as cursor:
        teams = _user(cursor, user_id)
        cursor.execute("SELECT name FROM core_household WHERE id = %s", (household_id,))
        household = cursor.fetchone()
        if household is None:
            abort(404)
        cursor.execute(
            "SELECT p.id, p.voornamen, p.voorvoegsel, p.geslachtsnaam, p.birth_date, m.role "
            "FROM core_household_member m JOIN core_person p ON p.id = m.person_id "
            "WHERE m.household_id = %s AND m.start_on <= current_date "
            "AND (m.end_on IS NULL OR m.end_on > current_date) ORDER BY p.birth_date",
            (household_id,),
        )
        members = cursor.fetchall()
        cursor.execute(
            "SELECT id, title, status, opened_on FROM casemanagement_case "
            "WHERE household_id = %s AND team_id = ANY(%s) ORDER BY opened_on DESC",
            (household_id, teams),
        )
        cases = cursor.fetchall()
        if not cases:
            abort(404)
        _audit(cursor, user_id, "core.household.view", [str(m[0]) for m in members])
    db.commit()
    rows = "".join(
        f"<li>{html.escape(' '.join(filter(None, m[1:4])))} ({m[5]}, {m[4]})</li>" for m in members
    )
    items = "".join(f"<li>{html.escape(c[1])} — {c[2]} sinds {c[3]}</li>" for c in cases)
    return f"<h1>{html.escape(household[0])}</h1><ul>{rows}</ul><ul>{items}</ul>"


@app.get("/werklijst")
def worklist() -> str:
    user_id = request.headers["X-Bench-User"]
    db = connection()
    with db.cursor() as cursor:
        teams = _user(cursor, user_id)
        cursor.execute(
            "SELECT c.id, c.title, c.status, c.opened_on, h.name FROM casemanagement_case c "
            "JOIN core_household h ON h.id = c.household_id "
            "WHERE c.team_id = ANY(%s) AND c.closed_on IS NULL "
            "ORDER BY c.opened_on, c.id LIMIT 25",
            (teams,),
        )
        cases = cursor.fetchall()
        cursor.execute(
            "SELECT DISTINCT person_id FROM casemanagement_case_person WHERE case_id = ANY(%s)",
            ([c[0] for c in cases],),
        )
        _audit(cursor, user_id, "casemanagement.case.read", [str(r[0]) for r in cursor])
    db.commit()
    items = "".join(
        f"<tr><td>{html.escape(c[1])}</td><td>{html.escape(c[4])}</td><td>{c[2]}</td></tr>"
        for c in cases
    )
    return f"<table>{items}</table>"


@app.get("/zoek")
def search() -> str:
    """Person search by surname prefix: persons in the households of the user's teams'
    cases, 25 to a page (and one to tell whether there are more), each audited."""
    user_id = request.headers["X-Bench-User"]
    prefix = request.args.get("naam", "").lower()
    db = connection()
    with db.cursor() as cursor:
        teams = _user(cursor, user_id)
        cursor.execute(
            "SELECT p.id, p.voornamen, p.voorvoegsel, p.geslachtsnaam, p.birth_date "
            "FROM core_person p WHERE p.search_name LIKE %s AND EXISTS ("
            " SELECT 1 FROM core_household_member m"
            " JOIN casemanagement_case c ON c.household_id = m.household_id"
            " WHERE m.person_id = p.id AND c.team_id = ANY(%s)) "
            "ORDER BY p.search_name, p.voornamen, p.birth_date, p.id LIMIT 26",
            (prefix.replace("%", "") + "%", teams),
        )
        found = cursor.fetchall()[:25]
        _audit(cursor, user_id, "core.person.search", [str(p[0]) for p in found])
    db.commit()
    rows = "".join(
        f"<tr><td>{html.escape(' '.join(filter(None, p[1:4])))}</td><td>{p[4]}</td></tr>"
        for p in found
    )
    return f"<table>{rows}</table>"


@app.get("/mijn")
def portal() -> str:
    """The resident's overview: their cases with the case manager, the current plan's goals
    and the actions assigned to them, and answered appointment requests; one audit row."""
    person_id = request.headers["X-Bench-Resident"]
    db = connection()
    with db.cursor() as cursor:
        cursor.execute("SELECT voornamen FROM core_person WHERE id = %s", (person_id,))
        if cursor.fetchone() is None:
            abort(401)
        cursor.execute(
            "SELECT c.id, c.title, c.status, u.display_name FROM casemanagement_case_person cp "
            "JOIN casemanagement_case c ON c.id = cp.case_id "
            "LEFT JOIN core_user u ON u.id = c.case_manager_id "
            "WHERE cp.person_id = %s ORDER BY c.opened_on DESC",
            (person_id,),
        )
        cases = cursor.fetchall()
        ids = [c[0] for c in cases]
        cursor.execute("SELECT id FROM casemanagement_plan WHERE case_id = ANY(%s)", (ids,))
        plans = [row[0] for row in cursor.fetchall()]
        cursor.execute(
            "SELECT g.id, g.life_domain, g.text, a.description, a.status, a.due_on "
            "FROM casemanagement_goal g LEFT JOIN casemanagement_action a ON a.goal_id = g.id "
            "AND a.assignee_person_id = %s AND a.status IN ('open', 'in_progress') "
            "WHERE g.plan_id = ANY(%s) ORDER BY g.created_at, a.due_on",
            (person_id, plans),
        )
        goals = cursor.fetchall()
        cursor.execute(
            "SELECT subject, status FROM casemanagement_appointment_request "
            "WHERE case_id = ANY(%s) AND status = 'scheduled'",
            (ids,),
        )
        answered = cursor.fetchall()
        _audit(cursor, person_id, "portal.overview", [person_id])
    db.commit()
    items = "".join(
        f"<li>{html.escape(c[1])} ({c[2]}, {html.escape(c[3] or '')})</li>" for c in cases
    )
    plan = "".join(f"<li>{html.escape(g[2])}: {html.escape(g[3] or '')}</li>" for g in goals)
    return f"<ul>{items}</ul><ul>{plan}</ul><p>{len(answered)}</p>"


@app.get("/health")
def health() -> str:
    return "ok"


def prepare(url: str) -> None:
    """Create the baseline's audit table (once, before the servers start)."""
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as db:
        db.execute(AUDIT_TABLE)
