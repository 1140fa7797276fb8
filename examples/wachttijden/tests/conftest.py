"""The module's tests run on an application with exactly this module enabled; the slot
tests add case management, whose allocation pages carry the slot. The fixtures (`app`,
`client`, `login_as`, `db`, `make_app`, ...) come from the OpenRegie SDK's pytest plugin;
set OPENREGIE_TEST_DATABASE_URL to a PostgreSQL server to run them on PostgreSQL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from wachttijden_openregie.cli import group

HEADER = "aanbieder;agb_code;productcategorie;wachttijd_weken;gemeten_op"


@pytest.fixture
def openregie_modules() -> list[str]:
    return ["wachttijden"]


@pytest.fixture
def feed(tmp_path: Path) -> Any:
    """`feed(*rows, header=HEADER, name="wachttijden.csv")`: a feed file with these rows
    (each a string of `;`-separated cells); returns its path."""

    def write(*rows: str, header: str = HEADER, name: str = "wachttijden.csv") -> Path:
        path = tmp_path / name
        path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
        return path

    return write


@pytest.fixture
def run_cli(app: Any) -> Any:
    """`run_cli(*args)`: run `openregie wachttijden ...` inside `app`, as core runs it."""

    def run(*args: str) -> Any:
        with app.app_context():
            return CliRunner().invoke(group, [str(a) for a in args])

    return run
