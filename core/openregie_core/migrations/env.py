"""The one Alembic environment shared by every lineage (core's and each module's).

`openregie_core.migrate.Migrator` passes the lineage and an open connection in
`config.attributes`; the lineage decides which tables this run may see (its prefix) and
names its own version table, so lineages never touch each other's tables.
"""

from alembic import context

from openregie_sdk.db import UtcDateTime, metadata

config = context.config
lineage = config.attributes["lineage"]
connection = config.attributes.get("connection")

if connection is None:  # pragma: no cover - offline SQL generation is not supported
    raise SystemExit("OpenRegie migrations run through `openregie db ...`, online only")


def render_item(type_: str, obj: object, autogen_context: object) -> str | bool:
    """Render the SDK's UtcDateTime as the plain column type it stores, so migrations
    need no SDK import and stay valid whatever the SDK becomes."""
    if type_ == "type" and isinstance(obj, UtcDateTime):
        return "sa.DateTime(timezone=True)"
    return False


context.configure(
    connection=connection,
    target_metadata=metadata,
    version_table=lineage.version_table,
    include_name=lineage.include_name,
    include_object=lineage.include_object,
    render_as_batch=True,
    compare_type=True,
    render_item=render_item,
)

with context.begin_transaction():
    context.run_migrations()
