"""The benchmark dataset generator (bench/dataset) on a tiny tier: the counts of the tier,
rows that hang together, valid BSNs, a verifying audit chain, and the same rows for the
same seed. Runs on SQLite and PostgreSQL like every test."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # bench/ is a folder of the repository, not a distribution
    sys.path.insert(0, str(ROOT))

from bench.dataset import MODULES, populate  # noqa: E402
from bench.dataset.tiers import TIERS  # noqa: E402

pytestmark = pytest.mark.openregie_modules(*MODULES)
XS = TIERS["XS"]


def _scalar(app: Any, sql: str) -> Any:
    with app.extensions["openregie"].engine.connect() as connection:
        return connection.scalar(text(sql))


def _eleven_proof(bsn: str) -> bool:
    return (
        len(bsn) == 9
        and (sum((9 - i) * int(d) for i, d in enumerate(bsn[:8])) - int(bsn[8])) % 11 == 0
    )


@pytest.fixture
def filled(app: Any) -> Any:
    populate(app.extensions["openregie"].engine, XS, seed=7, progress=False)
    return app


def test_tier_xs_writes_the_counts_of_the_tier(filled: Any) -> None:
    counts = {
        "core_person": XS.persons,
        "core_household": XS.households,
        "casemanagement_case": XS.cases,
        "casemanagement_contact_moment": XS.contact_moments,
        "core_audit_record": XS.audit_records,
        "core_municipality": XS.municipalities,
        "core_area": XS.municipalities * XS.areas_per_municipality,
    }
    for table, expected in counts.items():
        assert _scalar(filled, f"SELECT count(*) FROM {table}") == expected, table
    for table in ("core_membership", "casemanagement_plan", "casemanagement_goal",
                  "casemanagement_zrm_score", "casemanagement_allocation",
                  "casemanagement_transition", "core_role_assignment"):  # fmt: skip
        assert _scalar(filled, f"SELECT count(*) FROM {table}") > 0, table


def test_generated_rows_hang_together(filled: Any) -> None:
    # Every person lives in a household; a case concerns members of its own household.
    assert not _scalar(
        filled,
        """SELECT count(*) FROM core_person p WHERE NOT EXISTS
        (SELECT 1 FROM core_household_member m WHERE m.person_id = p.id)""",
    )
    assert not _scalar(
        filled,
        """SELECT count(*) FROM casemanagement_case_person cp
        JOIN casemanagement_case c ON c.id = cp.case_id WHERE NOT EXISTS
        (SELECT 1 FROM core_household_member m
         WHERE m.person_id = cp.person_id AND m.household_id = c.household_id)""",
    )
    # A case's team serves the area of one of its municipalities; its manager is in the team.
    assert not _scalar(
        filled,
        """SELECT count(*) FROM casemanagement_case c
        WHERE c.case_manager_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM core_membership m
        WHERE m.user_id = c.case_manager_id AND m.team_id = c.team_id)""",
    )
    # Closed cases are closed after they opened, with a reason; open ones have neither.
    assert not _scalar(
        filled,
        """SELECT count(*) FROM casemanagement_case
        WHERE (status = 'afgesloten') <> (closed_on IS NOT NULL)
           OR closed_on < opened_on OR (closed_on IS NULL) <> (closure_reason IS NULL)""",
    )
    # Allocations: requested, then decided, then started; a waiting time is never negative.
    assert not _scalar(
        filled,
        """SELECT count(*) FROM casemanagement_allocation
        WHERE decided_on < requested_on OR start_on < decided_on
           OR (status IN ('started', 'stopped')) <> (start_on IS NOT NULL)""",
    )
    assert _scalar(
        filled, "SELECT count(*) FROM casemanagement_allocation WHERE start_on IS NOT NULL"
    )
    # Both kinds of ZRM assessment are there, each with scores.
    assert _scalar(filled, "SELECT count(DISTINCT moment) FROM casemanagement_zrm_assessment") == 2
    assert not _scalar(
        filled,
        """SELECT count(*) FROM casemanagement_zrm_assessment a
        WHERE NOT EXISTS (SELECT 1 FROM casemanagement_zrm_score s WHERE s.assessment_id = a.id)""",
    )


def test_every_bsn_passes_the_eleven_proof_and_is_unique(filled: Any) -> None:
    with filled.extensions["openregie"].engine.connect() as connection:
        bsns = [r[0] for r in connection.execute(text("SELECT bsn FROM core_person"))]
    present = [b for b in bsns if b is not None]
    assert len(present) > 0.9 * len(bsns)
    assert all(_eleven_proof(b) for b in present)
    assert len(set(present)) == len(present)


def test_the_audit_chain_verifies(filled: Any) -> None:
    from openregie_core.audit.verify import verify

    with filled.extensions["openregie"].session_factory() as session:
        report = verify(session)
    assert report.intact, report.broken
    assert report.checked == XS.audit_records


def test_the_same_seed_gives_the_same_rows(filled: Any, make_app: Any) -> None:
    again = make_app(MODULES)
    populate(again.extensions["openregie"].engine, XS, seed=7, progress=False)
    digest = """SELECT bsn, geslachtsnaam, birth_date FROM core_person
                ORDER BY bsn, geslachtsnaam, birth_date"""
    cases = "SELECT opened_on, closed_on, status FROM casemanagement_case ORDER BY id"
    chain = "SELECT last_hash FROM core_audit_chain_head"
    for sql in (digest, cases, chain):
        with (
            filled.extensions["openregie"].engine.connect() as one,
            again.extensions["openregie"].engine.connect() as other,
        ):
            assert list(one.execute(text(sql))) == list(other.execute(text(sql)))


def test_refuses_a_database_that_holds_persons(filled: Any) -> None:
    with pytest.raises(SystemExit, match="already holds persons"):
        populate(filled.extensions["openregie"].engine, XS, progress=False)


def test_team_staff_hold_no_installation_wide_role(filled: Any) -> None:
    """As core makes them: professionals and team leads get their grants from their team
    memberships only (need-to-know), so the benchmarks measure the real predicates."""
    assert not _scalar(
        filled,
        """SELECT count(*) FROM core_role_assignment a JOIN core_role r ON r.id = a.role_id
        WHERE r.name IN ('professional', 'team_lead')""",
    )


def test_every_tier_has_room_for_unique_test_bsns() -> None:
    from bench.dataset.people import BSN_SPACE, bsn_prefix

    for tier in TIERS.values():
        assert tier.persons * 4 <= BSN_SPACE[bsn_prefix(tier.persons)], tier.name
    assert bsn_prefix(100_000) == "99"  # tiers S and M keep their numbers
    assert bsn_prefix(1_000_000) == "9"
    with pytest.raises(SystemExit, match="too many persons"):
        bsn_prefix(5_000_000)
