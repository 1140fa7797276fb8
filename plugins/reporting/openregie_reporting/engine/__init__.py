"""The reporting engine: periods, running metric definitions in the database, suppression
of small cells, the report built from them, and its CSV and XLSX exports.

`periods`, `suppression` and the table-building parts are pure; `runner` and `report` need
an application (they use `openregie_sdk.db_session()`).
"""
