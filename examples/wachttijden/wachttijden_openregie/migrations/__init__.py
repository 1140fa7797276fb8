"""Alembic migrations of this module: its own lineage in `versions/` (revision ids
`<module id>_0001`, ...), recorded in the version table `alembic_version_<module id>` and
run by `openregie db upgrade`."""
