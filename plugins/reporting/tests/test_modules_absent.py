"""The reporting module works with each other module absent: the report page renders, the
downloads open, and a missing module's metrics are simply not there (core's are)."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from openregie_sdk.testing.plugin import log_in

# Module sets, each leaving out one other module (the portal needs case management, so
# it goes with it).
WITHOUT = {
    "casemanagement": ["reporting", "consent"],
    "consent": ["reporting", "casemanagement", "portal"],
    "portal": ["reporting", "casemanagement", "consent"],
    "all others": ["reporting"],
}


@pytest.mark.parametrize("absent", sorted(WITHOUT))
def test_the_report_renders_without_a_module(make_app, absent):
    app = make_app(WITHOUT[absent])
    loaded = set(app.extensions["openregie"].modules.loaded_ids)
    assert loaded == set(WITHOUT[absent])
    client = app.test_client()
    log_in(app, client, "policy_officer")
    response = client.get("/rapportage/?periode=2026-Q3")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'id="sectie-formation"' in html  # core's contracted hours and staff
    assert "Geregistreerde personen op de einddatum" in html
    has_cases = "casemanagement" in loaded
    assert ('id="sectie-caseload"' in html) is has_cases
    assert ("Nieuwe casussen" in html) is has_cases
    sheet = load_workbook(io.BytesIO(client.get("/rapportage/download.xlsx").data))["Rapport"]
    ids = {row[1] for row in sheet.iter_rows(values_only=True) if row and row[1]}
    assert "core.persons" in ids and "reporting.formation" in ids
    assert ("casemanagement.cases_opened" in ids) is has_cases
