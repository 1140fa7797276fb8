"""AnderZorg's Alembic lineage (`anderzorg_0001`, ...), recorded in the version table
`alembic_version_anderzorg`."""
