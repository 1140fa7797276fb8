"""The check for personal data in log records (the root conftest.py, issue 10): what it
takes for personal data, and that a run whose test logs some fails, naming the test, also
under pytest-xdist where the workers hold the records and the controller must fail.

Nothing here logs personal data itself: records are handed to a scanner of the test's own
or logged in a separate pytest run (which would otherwise fail this very session)."""

from __future__ import annotations

import importlib.util
import logging
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT_CONFTEST = Path(__file__).resolve().parents[1] / "conftest.py"


def _load_scanner() -> Any:
    spec = importlib.util.spec_from_file_location("openregie_log_scanner", ROOT_CONFTEST)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


scanner = _load_scanner()


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("person 123456782 opgezocht", ["BSN 123456782"]),
        ("bsn=111222333;", ["BSN 111222333"]),
        ("(012345672)", ["BSN 012345672"]),
        ("nummer 123456789 faalt de 11-proef", []),
        ("order 1234567820 is tien cijfers", []),
        ("took 0.123456782 s", []),
        ("trace 5f3a123456782b0c", []),
        ("id 12345678-1234-1234-1234-123456782012", []),
        ("versie 123456782.1", []),
    ],
)
def test_a_bsn_is_nine_digits_alone_passing_the_11_proef(text: str, found: list[str]) -> None:
    assert scanner.personal_data_in(text) == found


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("mail naar jan.jansen12@example.org mislukt", ["e-mail jan.jansen12@example.org"]),
        ("<a.el-amrani+post@gemeente.example.nl>", ["e-mail a.el-amrani+post@gemeente.example.nl"]),
        ("afzender noreply@openregie.example", []),
        ("stuur vragen naar beheer@zutphen.example of Info@lochem.example", []),
        ("geen adres: gebruiker@localhost", []),
    ],
)
def test_a_persons_e_mail_address_is_found_a_system_mailbox_is_not(
    text: str, found: list[str]
) -> None:
    assert scanner.personal_data_in(text) == found


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("dossier van Anna Jansen geopend", ["name Anna Jansen"]),
        ("Jan Hendrik van den Berg verhuisd", ["name Jan Hendrik van den Berg"]),
        ("Karel de Vries", ["name Karel de Vries"]),
        ("Ayşe Öztürk en Mehmet Yılmaz", ["name Ayşe Öztürk", "name Mehmet Yılmaz"]),
        ("Youssef El Amrani", ["name Youssef El Amrani"]),
        ("persoon Aalders niet gevonden", ["name Aalders"]),
        ("account beheerder locked after 5 failed attempts", []),
        ("Fenna Beheer meldde zich aan", []),
        ("Alleen de teamleider ziet dit; Anna heeft geen achternaam", []),
        ("Gezin Jansen", []),
        ("subject export of module casemanagement failed; left out", []),
    ],
)
def test_a_name_of_a_demo_or_fixture_person_is_found_staff_and_plain_words_are_not(
    text: str, found: list[str]
) -> None:
    assert scanner.personal_data_in(text) == found


def _record(message: str, *args: Any, exc_info: Any = None) -> logging.LogRecord:
    return logging.LogRecord("openregie.test", logging.ERROR, __file__, 1, message, args, exc_info)


def test_the_handler_keeps_records_with_personal_data_in_message_or_exception_with_the_test():
    handler = scanner.PersonalDataScanner()
    handler.test = "tests/test_x.py::test_y"
    try:
        raise ValueError("geen toegang tot 123456782")
    except ValueError:
        exc_info = sys.exc_info()

    handler.handle(_record("unexpected error on %s", "/personen/", exc_info=exc_info))
    handler.handle(_record("brief aan %s", "anna.jansen@example.org"))
    handler.handle(_record("permission %s declared twice", "core.person.read"))

    assert [(f["test"], f["found"]) for f in handler.findings] == [
        ("tests/test_x.py::test_y", ["BSN 123456782"]),
        ("tests/test_x.py::test_y", ["e-mail anna.jansen@example.org"]),
    ]
    assert "ValueError: geen toegang tot 123456782" in handler.findings[0]["text"]


LEAKING_AND_CLEAN = """\
import logging

def test_leaks_a_name():
    logging.getLogger("openregie_core.web").info("dossier van %s", "Anna Jansen")

def test_logs_nothing_personal():
    logging.getLogger("openregie_core.web").warning("denied core.person.read on /personen/")
"""
CLEAN = """\
import logging

def test_logs_nothing_personal():
    logging.getLogger("openregie_core.web").error("permission %s declared twice", "x.read")
"""


def _pytest_run(tmp_path: Path, source: str, *args: str) -> subprocess.CompletedProcess[str]:
    """A pytest run of `source` (one test file) with the root conftest.py, in its own
    process; only xdist of the installed plugins is loaded."""
    (tmp_path / "conftest.py").write_text(ROOT_CONFTEST.read_text(encoding="utf-8"))
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    (tmp_path / "test_sample.py").write_text(source)
    env = {**os.environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "xdist.plugin"]
    return subprocess.run(
        [*command, *args], cwd=tmp_path, env=env, capture_output=True, text=True, check=False
    )


@pytest.mark.parametrize("workers", [[], ["-n", "2"]], ids=["in-process", "xdist"])
def test_a_run_whose_test_logs_personal_data_fails_naming_the_test(
    tmp_path: Path, workers: list[str]
) -> None:
    result = _pytest_run(tmp_path, LEAKING_AND_CLEAN, *workers)

    assert result.returncode == 1, result.stdout + result.stderr
    output = result.stdout
    assert "2 passed, 1 with personal data in logs" in output
    assert "personal data in log records" in output
    assert "test_sample.py::test_leaks_a_name: INFO openregie_core.web" in output
    assert "dossier van Anna Jansen" in output
    assert "test_logs_nothing_personal:" not in output


@pytest.mark.parametrize("workers", [[], ["-n", "2"]], ids=["in-process", "xdist"])
def test_a_run_whose_logs_hold_no_personal_data_passes(tmp_path: Path, workers: list[str]):
    result = _pytest_run(tmp_path, CLEAN, *workers)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "personal data" not in result.stdout
