"""The reporting engine: periods, running metric definitions in the database, suppression
of small cells, the report built from them, and its CSV and XLSX exports.

`periods`, `suppression`, `sections` and `lines` are pure; `runner`, `labels` (names of
registry ids), `formation` (norms against contracted hours) and `report` need an
application (they use `openregie_sdk.db_session()`).
"""
