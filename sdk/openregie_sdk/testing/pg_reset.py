"""Putting a used PostgreSQL test database back into its template's state, in place.

Cloning a template (`CREATE DATABASE ... TEMPLATE`) costs the server about half a second
of work per test on a 2-core machine, however small the template: it writes every file of
the new database. A database a test has used holds the template's schema with other rows,
so the test kit empties it instead and puts back the template's few rows (the migrations'
version rows, seeded roles): `Snapshot.reset` does that in one transaction in tens of
milliseconds.

A reset database must be indistinguishable from a fresh clone for the next test. What is
compared and restored:

- the schema, by a fingerprint of everything a migration or a test could change in the
  database: relations and their kinds, columns, constraints, indexes, views, triggers,
  functions, types and enum labels, schemas, extensions, privileges, row-level security
  policies, large objects and the database's own settings. A database whose fingerprint
  differs from its template's (a test ran a migration, created a table, altered a
  setting) is not reset but dropped; the test kit clones a fresh one;
- the rows of every table: deleted, then the template's rows copied back (COPY, so every
  value comes back exactly as it was);
- every sequence: set back to the template's position.

Emptying runs with `session_replication_role = replica`, so foreign keys (and triggers) do
not order or refuse the deletes; the result is the template's rows, which satisfy them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

_USER_NAMESPACES = (
    "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'"
    " AND n.nspname NOT LIKE 'pg_temp%'"
)

# One text per schema object, hashed: equal hashes, equal schemas (for what tests change).
FINGERPRINT = f"""
SELECT md5(coalesce(string_agg(item, E'\\n' ORDER BY item), '')) FROM (
  SELECT 'nsp ' || n.nspname || ' ' || coalesce(n.nspacl::text, '') AS item
    FROM pg_namespace n WHERE {_USER_NAMESPACES}
  UNION ALL
  SELECT 'rel ' || n.nspname || '.' || c.relname || ' ' || c.relkind::text || ' '
         || coalesce(c.relacl::text, '') || ' ' || c.relrowsecurity::text || ' '
         || CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid) ELSE '' END
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE {_USER_NAMESPACES}
  UNION ALL
  SELECT 'col ' || n.nspname || '.' || c.relname || '.' || a.attname || ' '
         || format_type(a.atttypid, a.atttypmod) || ' ' || a.attnotnull::text || ' '
         || a.attnum::text || ' ' || coalesce(pg_get_expr(d.adbin, d.adrelid), '')
    FROM pg_attribute a
    JOIN pg_class c ON c.oid = a.attrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
   WHERE a.attnum > 0 AND NOT a.attisdropped AND {_USER_NAMESPACES}
  UNION ALL
  SELECT 'con ' || n.nspname || ' ' || con.conrelid::regclass::text || ' ' || con.conname
         || ' ' || pg_get_constraintdef(con.oid)
    FROM pg_constraint con JOIN pg_namespace n ON n.oid = con.connamespace
   WHERE {_USER_NAMESPACES}
  UNION ALL
  SELECT 'idx ' || pg_get_indexdef(i.indexrelid)
    FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace WHERE {_USER_NAMESPACES}
  UNION ALL
  SELECT 'trg ' || pg_get_triggerdef(t.oid) || ' ' || t.tgenabled::text
    FROM pg_trigger t WHERE NOT t.tgisinternal
  UNION ALL
  SELECT 'fn ' || p.oid::regprocedure::text || ' ' || md5(coalesce(p.prosrc, ''))
    FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE {_USER_NAMESPACES}
  UNION ALL
  SELECT 'typ ' || n.nspname || '.' || t.typname || ' ' || t.typtype::text || ' '
         || coalesce((SELECT string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder)
                        FROM pg_enum e WHERE e.enumtypid = t.oid), '')
    FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE {_USER_NAMESPACES}
  UNION ALL
  SELECT 'ext ' || e.extname || ' ' || e.extversion FROM pg_extension e
  UNION ALL
  SELECT 'pol ' || pol.polrelid::regclass::text || ' ' || pol.polname || ' '
         || coalesce(pg_get_expr(pol.polqual, pol.polrelid), '')
    FROM pg_policy pol
  UNION ALL
  SELECT 'lo ' || count(*)::text FROM pg_largeobject_metadata
  UNION ALL
  SELECT 'set ' || coalesce(array_to_string(s.setconfig, ','), '') || ' '
         || s.setrole::text
    FROM pg_db_role_setting s
   WHERE s.setdatabase = (SELECT oid FROM pg_database WHERE datname = current_database())
) AS items
"""  # noqa: S608 (constant text; no input)

_TABLES = f"""
SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname)
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relkind IN ('r', 'p') AND {_USER_NAMESPACES}
 ORDER BY 1
"""  # noqa: S608 (constant text; no input)

_SEQUENCES = f"""
SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname)
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relkind = 'S' AND {_USER_NAMESPACES}
 ORDER BY 1
"""  # noqa: S608 (constant text; no input)


@dataclass(frozen=True)
class Snapshot:
    """A template's schema fingerprint, its rows (COPY text per non-empty table) and its
    sequences' positions: what `reset` puts a used database back to."""

    fingerprint: str
    tables: tuple[str, ...]
    rows: tuple[tuple[str, bytes], ...]
    sequences: tuple[tuple[str, int, bool], ...]

    @classmethod
    def of(cls, connection: Any) -> Snapshot:
        """Read the snapshot of the database `connection` (psycopg) is open on."""
        cursor = connection.cursor()
        fingerprint = cursor.execute(FINGERPRINT).fetchone()[0]
        tables = tuple(row[0] for row in cursor.execute(_TABLES).fetchall())
        rows = []
        for table in tables:
            # (table and sequence names come from the catalog, quoted by quote_ident)
            if cursor.execute(f"SELECT EXISTS (SELECT FROM {table})").fetchone()[0]:  # noqa: S608
                data = bytearray()
                with cursor.copy(f"COPY {table} TO STDOUT") as copy:
                    for block in copy:
                        data += block
                rows.append((table, bytes(data)))
        sequences = []
        for sequence in (row[0] for row in cursor.execute(_SEQUENCES).fetchall()):
            value, called = cursor.execute(
                f"SELECT last_value, is_called FROM {sequence}"  # noqa: S608
            ).fetchone()
            sequences.append((sequence, int(value), bool(called)))
        connection.rollback()
        return cls(fingerprint, tables, tuple(rows), tuple(sequences))

    def reset(self, connection: Any) -> bool:
        """Put the database `connection` (psycopg, no transaction open) back into this
        snapshot's state and commit; False, with nothing changed, when its schema is not
        the snapshot's (the database must then be dropped, not reused)."""
        cursor = connection.cursor()
        if cursor.execute(FINGERPRINT).fetchone()[0] != self.fingerprint:
            connection.rollback()
            return False
        statements = ["SET LOCAL session_replication_role = replica"]
        statements += [f"DELETE FROM {table}" for table in self.tables]  # noqa: S608
        cursor.execute("; ".join(statements))
        for table, data in self.rows:
            with cursor.copy(f"COPY {table} FROM STDIN") as copy:
                copy.write(data)
        for sequence, value, called in self.sequences:
            cursor.execute("SELECT setval(%s, %s, %s)", (sequence, value, called))
        connection.commit()
        return True
