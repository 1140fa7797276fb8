"""`openregie report export`: the export for scheduled delivery, with clear errors and a
non-zero exit for a bad municipality code, period or format."""

from __future__ import annotations

import importlib.util
import io
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from sqlalchemy import text

from openregie_reporting.cli import group


def _data_module():
    name = "openregie_reporting_test_data"
    if name not in sys.modules:
        path = Path(__file__).with_name("reporting_data.py")
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


data = _data_module().data


@pytest.fixture
def openregie_modules() -> list[str]:
    return ["reporting", "casemanagement"]


def _cli(app, *args):
    """Run the module's group as core's ModuleCommands does: in the app context, closing
    the command's session (which writes its audit records) at the end."""
    runtime = app.extensions["openregie"]
    with app.app_context():
        try:
            return CliRunner().invoke(group, list(args))
        finally:
            runtime.close_cli_session()


def _exports(app):
    with app.app_context():
        session = app.extensions["openregie"].session()
        rows = session.execute(
            text(
                "SELECT data_subject_id, status FROM core_audit_record "
                "WHERE processing_activity = 'reporting.report.export'"
            )
        ).all()
        app.extensions["openregie"].close_cli_session()
    return [tuple(r) for r in rows]


def test_the_manifest_contributes_the_command_group(app):
    assert app.extensions["openregie"].modules.get("reporting").cli is group


def test_export_writes_an_xlsx_with_the_report_and_audits_it(app, data, tmp_path):
    target = tmp_path / "rapport.xlsx"
    result = _cli(
        app, "export", "--municipality", data.code.lower(), "--period", "2026-Q3",
        "--format", "xlsx", "--output", str(target),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert f"to {target}" in result.output
    sheet = load_workbook(io.BytesIO(target.read_bytes()))["Rapport"]
    rows = [[v for v in r if v is not None] for r in sheet.iter_rows(values_only=True)]
    assert ["Gemeente", data.code] in rows
    assert [data.zuid.name, "<5", 0, "x"] in rows
    assert ["Totaal", 9, 5, 4] in rows
    assert _exports(app) == [(f"{data.code}/2026-Q3", "ok")]


def test_export_writes_csv(app, data, tmp_path):
    target = tmp_path / "rapport.csv"
    result = _cli(
        app, "export", "--municipality", data.code, "--period", "2026-Q3",
        "--format", "CSV", "--output", str(target),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    content = target.read_bytes()
    assert content.startswith(b"\xef\xbb\xbf")
    assert f"Gemeente;{data.code}" in content.decode("utf-8-sig")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--municipality", "GM9999X", "--period", "2026-Q3"], "unknown municipality"),
        (["--period", "2026-Q5"], "invalid period '2026-Q5'"),
        (["--period", "2026-Q3", "--format", "pdf"], "'pdf' is not one of 'csv', 'xlsx'"),
        (["--period", "2026-Q3", "--output", "/no/such/dir/r.xlsx"], "does not exist"),
        (["--period", "2026-Q3", "--municipality", " "], "CBS code like GM0262"),
    ],
)
def test_bad_input_exits_non_zero_with_a_clear_message(app, data, tmp_path, args, message):
    defaults = ["--municipality", data.code] if "--municipality" not in args else []
    if "--output" not in args:
        args = [*args, "--output", str(tmp_path / "r.xlsx")]
    result = _cli(app, "export", *defaults, *args)
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert not (tmp_path / "r.xlsx").exists()
    assert _exports(app) == []


def test_municipality_and_period_are_required(app):
    result = _cli(app, "export", "--period", "2026-Q3")
    assert result.exit_code == 2
    assert "Missing option '--municipality'" in result.output
