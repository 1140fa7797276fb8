"""`python -m bench.dataset --tier S --database-url URL`: migrate and fill a database.

Prints rows/s per table and the total time. The database must be empty (a new PostgreSQL
database, or a new SQLite file); `--create` makes the PostgreSQL database first."""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bench.dataset import TIERS, generate
from bench.dataset.tiers import DEFAULT_END


def postgres_url(url: str) -> str:
    """SQLAlchemy's psycopg 3 dialect for a plain postgresql:// URL."""
    for plain in ("postgresql://", "postgres://"):
        if url.startswith(plain):
            return "postgresql+psycopg://" + url[len(plain) :]
    return url


def create_database(url: str) -> None:
    """CREATE DATABASE for the database named in `url` (PostgreSQL), unless it exists."""
    target = make_url(url)
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            exists = connection.scalar(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": target.database}
            )
            if not exists:
                connection.execute(text(f'CREATE DATABASE "{target.database}"'))
    finally:
        admin.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.dataset", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--tier", choices=sorted(TIERS), default="S", type=str.upper)
    parser.add_argument("--scale", type=float, default=1.0, help="multiply the tier's counts")
    parser.add_argument("--database-url", required=True, help="postgresql://... or sqlite:///file")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--end", type=dt.date.fromisoformat, default=DEFAULT_END,
                        help=f"last day the two years cover (default {DEFAULT_END})")  # fmt: skip
    parser.add_argument("--create", action="store_true", help="create the PostgreSQL database")
    parser.add_argument("--quiet", action="store_true", help="no progress bars")
    args = parser.parse_args(argv)
    if not 0 < args.scale <= 10:
        parser.error("--scale must be more than 0 and at most 10")
    url = postgres_url(args.database_url)
    if args.create:
        if not url.startswith("postgresql"):
            parser.error("--create works for PostgreSQL URLs only")
        create_database(url)
    tier = TIERS[args.tier] if args.scale == 1 else TIERS[args.tier].scaled(args.scale)
    print(f"tier {tier.name}: {tier.persons:,} persons, {tier.households:,} households, "
          f"{tier.cases:,} cases, {tier.contact_moments:,} contact moments, "
          f"{tier.audit_records:,} audit records (seed {args.seed})", flush=True)  # fmt: skip
    summary = generate(url, tier, seed=args.seed, end=args.end, progress=not args.quiet)
    print("\n".join(summary.lines()))
    print(f"covers {summary.span.start} to {summary.span.end}; total {summary.seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
