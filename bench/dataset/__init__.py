"""The seeded benchmark dataset (issue 9): `python -m bench.dataset --tier S|M|L|XS`.

`generate(url, tier)` migrates the database with the real migrations (`openregie db
upgrade`, programmatically) and fills it; `populate(engine, tier)` fills an already
migrated, empty database (the tests use it on their own database). The same seed and tier
give the same rows. Everything is written in ONE transaction: a failure leaves nothing.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, text

from bench.dataset import audit, cases, people, world
from bench.dataset.common import Rand, Span
from bench.dataset.sink import Sink, TableStat
from bench.dataset.tiers import DEFAULT_END, TIERS, YEARS, Tier

# The modules whose tables the dataset fills and whose metrics the report benchmark runs
# (consent and portal add no metrics; their tables stay empty).
MODULES = ["casemanagement", "reporting"]

__all__ = ["MODULES", "TIERS", "Summary", "Tier", "generate", "populate"]


@dataclass(slots=True)
class Summary:
    tier: Tier
    seed: int
    span: Span
    tables: list[TableStat] = field(default_factory=list)
    seconds: float = 0.0  # generating and writing, committed
    analyze_seconds: float = 0.0

    def lines(self) -> list[str]:
        out = [f"{'table':<34} {'rows':>12} {'seconds':>9} {'rows/s':>12}"]
        for stat in self.tables:
            out.append(
                f"{stat.table:<34} {stat.rows:>12,} {stat.seconds:>9.2f} {stat.rate:>12,.0f}"
            )
        rows = sum(s.rows for s in self.tables)
        out.append(f"{'total':<34} {rows:>12,} {self.seconds:>9.2f} {rows / self.seconds:>12,.0f}")
        if self.analyze_seconds:
            out.append(f"VACUUM (ANALYZE) afterwards: {self.analyze_seconds:.2f} s")
        return out


def span_ending(end: dt.date) -> Span:
    return Span(end.replace(year=end.year - YEARS) + dt.timedelta(days=1), end)


def populate(
    engine: Engine,
    tier: Tier,
    *,
    seed: int = 1,
    end: dt.date = DEFAULT_END,
    progress: bool = True,
) -> Summary:
    """Fill the migrated, empty database behind `engine` with `tier`; raises SystemExit
    with a message when it already holds persons."""
    span = span_ending(end)
    summary = Summary(tier, seed, span)
    started = time.perf_counter()
    with engine.begin() as connection:
        if connection.scalar(text("SELECT count(*) FROM core_person")):
            raise SystemExit("the database already holds persons: generate into an empty one")
        if connection.dialect.name == "postgresql":
            connection.execute(text("SET LOCAL synchronous_commit = off"))
        role_ids = dict(
            (name, rid) for rid, name in connection.execute(text("SELECT id, name FROM core_role"))
        )
        role_ids = {name: _uuid(rid) for name, rid in role_ids.items()}
        sink = Sink(connection, progress=progress)
        rng = Rand(seed)
        region = world.build(sink, rng, tier, span, role_ids)
        homes = people.build(sink, rng, tier, span, region)
        found = cases.build(sink, rng, tier, span, region, homes)
        residents = [member.id for home in homes for member in home.members]
        audit.build(sink, seed + 1, tier.audit_records, span, found, residents)
    summary.seconds = time.perf_counter() - started
    summary.tables = list(sink.stats.values())
    if engine.dialect.name == "postgresql":
        started = time.perf_counter()
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            # What autovacuum would have done on a database in use: statistics for the
            # planner and the visibility map that index-only scans need.
            connection.execute(text("VACUUM (ANALYZE)"))
        summary.analyze_seconds = time.perf_counter() - started
    return summary


def _uuid(value: Any) -> Any:
    import uuid

    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def make_app(database_url: str, instance: Path) -> Any:
    """An application on `database_url` with the dataset's modules."""
    from openregie_core.app import create_app
    from openregie_core.config import load_settings

    settings = load_settings(
        instance_path=instance,
        database_url=database_url,
        mode="test",
        secret_key="bench-" + "x" * 40,
        modules=MODULES,
        strict_modules=True,
    )
    return create_app(settings)


def generate(
    database_url: str,
    tier: Tier,
    *,
    seed: int = 1,
    end: dt.date = DEFAULT_END,
    progress: bool = True,
) -> Summary:
    """Migrate the database at `database_url` (real migrations) and fill it with `tier`."""
    from openregie_core.upgrade import upgrade_installation

    with tempfile.TemporaryDirectory() as instance:
        app = make_app(database_url, Path(instance))
        engine = app.extensions["openregie"].engine
        try:
            upgrade_installation(app)
            return populate(engine, tier, seed=seed, end=end, progress=progress)
        finally:
            engine.dispose()
