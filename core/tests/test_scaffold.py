"""`openregie modules new`: the generated package is complete, lint-clean, installs and
passes its own tests (on the database the suite runs on); bad names write nothing."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import tomllib
import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner

from openregie_core.cli import main

GENERATED = (
    "pyproject.toml",
    "README.md",
    "babel.cfg",
    "{pkg}/__init__.py",
    "{pkg}/module.py",
    "{pkg}/hooks.py",
    "{pkg}/models.py",
    "{pkg}/settings.py",
    "{pkg}/views.py",
    "{pkg}/templates/{id}/index.html",
    "{pkg}/templates/{id}/widget.html",
    "{pkg}/templates/{id}/panel.html",
    "{pkg}/migrations/__init__.py",
    "{pkg}/migrations/versions/0001_notes.py",
    "{pkg}/translations/en/LC_MESSAGES/messages.po",
    "{pkg}/translations/en/LC_MESSAGES/messages.mo",
    "tests/conftest.py",
    "tests/test_contract.py",
    "tests/test_pages.py",
    "tests/test_hooks.py",
)


def _new(*args: str):
    return CliRunner().invoke(main, ["modules", "new", *args])


def _fresh_id() -> str:
    """An id no installed module has (an example module may be installed beside ours)."""
    return f"proef_{uuid.uuid4().hex[:6]}"


def _files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def test_new_writes_a_module_package_with_its_entry_point_manifest_and_tests(tmp_path):
    module_id = _fresh_id()
    target = tmp_path / "pakket"
    result = _new(module_id, "--path", str(target), "--publisher", "Acme Zorgdata")
    assert result.exit_code == 0, result.output
    package = f"openregie_{module_id}"
    expected = {f.format(pkg=package, id=module_id) for f in GENERATED}
    assert _files(target) == expected
    project = tomllib.loads((target / "pyproject.toml").read_text())
    assert project["project"]["name"] == f"openregie-{module_id}".replace("_", "-")
    assert "openregie-sdk>=1.2,<2" in project["project"]["dependencies"]
    entry_points = project["project"]["entry-points"]["openregie.modules"]
    assert entry_points == {module_id: f"{package}.module:MANIFEST"}
    manifest = (target / package / "module.py").read_text()
    assert f'id="{module_id}"' in manifest
    assert 'publisher="Acme Zorgdata"' in manifest
    migration = (target / package / "migrations/versions/0001_notes.py").read_text()
    assert f'revision: str = "{module_id}_0001"' in migration
    assert f'"{module_id}_note"' in migration
    assert "class TestContract(ModuleContract)" in (target / "tests/test_contract.py").read_text()
    assert f"created module {module_id!r} in {target}" in result.output


def test_the_english_catalogue_translates_every_extracted_text_and_is_compiled(tmp_path):
    from babel.messages.frontend import CommandLineInterface
    from babel.messages.mofile import read_mo
    from babel.messages.pofile import read_po

    module_id = _fresh_id()
    root = tmp_path / "m"
    assert _new(module_id, "--path", str(root)).exit_code == 0
    package = f"openregie_{module_id}"
    folder = root / package / "translations/en/LC_MESSAGES"
    with (folder / "messages.po").open("rb") as po:
        catalogue = read_po(po)
    with (folder / "messages.mo").open("rb") as mo:
        compiled = read_mo(mo)
    template = tmp_path / "messages.pot"
    extract = ["pybabel", "-q", "extract", "-F", str(root / "babel.cfg"), "-k", "_l", "-k", "N_"]
    CommandLineInterface().run([*extract, "-o", str(template), str(root / package)])
    with template.open("rb") as pot:
        extracted = {message.id for message in read_po(pot) if message.id}
    ids = {message.id for message in catalogue if message.id}
    assert ids == extracted
    assert "Notities" in ids
    assert all(message.string for message in catalogue if message.id)
    assert {message.id for message in compiled if message.id} == ids


@pytest.mark.skipif(importlib.util.find_spec("ruff") is None, reason="ruff is not installed")
def test_generated_python_is_ruff_clean_and_formatted_even_for_the_longest_names(tmp_path):
    module_id = "r" + _fresh_id() + "x" * 27  # 40 characters, the longest id
    assert len(module_id) == 40
    target = tmp_path / "lang"
    result = _new(module_id, "--path", str(target), "--title", "T" * 80, "--publisher", "P" * 80)
    assert result.exit_code == 0, result.output
    for command in (["check", "--no-cache", "."], ["format", "--check", "--no-cache", "."]):
        checked = subprocess.run(
            [sys.executable, "-m", "ruff", *command],
            cwd=target,
            capture_output=True,
            text=True,
            check=False,
        )
        assert checked.returncode == 0, checked.stdout + checked.stderr


def _builds_without_isolation() -> bool:
    """Whether the running environment can build the package itself (setuptools with
    `bdist_wheel`); otherwise pip builds it in an isolated environment."""
    from importlib.metadata import version

    from packaging.version import Version

    has_wheel = importlib.util.find_spec("wheel") is not None
    return has_wheel or Version(version("setuptools")) >= Version("70.1")


def test_generated_package_installs_and_passes_its_own_tests(tmp_path):
    """Installed into a private folder (never into the shared environment) and tested in a
    subprocess that inherits OPENREGIE_TEST_DATABASE_URL, so it runs on SQLite and on
    PostgreSQL like the rest of the suite."""
    module_id = _fresh_id()
    source, site = tmp_path / "bron", tmp_path / "site"
    assert _new(module_id, "--path", str(source), "--publisher", "Acme").exit_code == 0
    install = [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps"]
    install += ["--no-build-isolation"] if _builds_without_isolation() else []
    built = subprocess.run(
        [*install, "--target", str(site), str(source)],
        capture_output=True,
        text=True,
        check=False,
        timeout=180,
    )
    assert built.returncode == 0, built.stdout + built.stderr
    package = site / f"openregie_{module_id}"
    assert (package / "templates" / module_id / "index.html").is_file()
    assert (package / "migrations/versions/0001_notes.py").is_file()
    assert (package / "translations/en/LC_MESSAGES/messages.mo").is_file()
    environment = {**os.environ, "PYTHONPATH": str(site)}
    environment.pop("PYTEST_XDIST_WORKER", None)
    tested = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist"],
        cwd=source,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert tested.returncode == 0, tested.stdout[-5000:] + tested.stderr[-2000:]
    assert " passed" in tested.stdout
    assert "failed" not in tested.stdout
    assert "skipped" not in tested.stdout


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("Wachttijden", "not a valid module id"),
        ("1wachttijden", "not a valid module id"),
        ("wacht-tijden", "not a valid module id"),
        ("_wachttijden", "not a valid module id"),
        ("w" * 41, "longer than 40 characters"),
        ("core", "reserved for the platform"),
        ("sdk", "reserved for the platform"),
        ("api", "reserved for the platform"),
        ("static", "reserved for the platform"),
        ("admin", "reserved for the platform"),
        ("alembic", "reserved for the platform's tables"),
        ("core_extra", "reserved for the platform's tables"),
        ("personen", "which core uses"),
        ("teams", "which core uses"),
        ("casemanagement", "already installed"),
    ],
)
def test_a_bad_or_taken_name_is_refused_and_nothing_is_written(tmp_path, name, message):
    result = _new(name, "--path", str(tmp_path / "nieuw"))
    assert result.exit_code != 0
    assert message in result.output
    assert list(tmp_path.iterdir()) == []


def test_an_existing_folder_is_refused_and_left_as_it_was(tmp_path):
    target = tmp_path / "bestaat"
    target.mkdir()
    (target / "eigen.txt").write_text("van mij")
    result = _new(_fresh_id(), "--path", str(target))
    assert result.exit_code != 0
    assert "already exists" in result.output
    assert _files(target) == {"eigen.txt"}
    assert list(tmp_path.iterdir()) == [target]


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--package", "flask", "already importable"),
        ("--package", "Niet-Geldig", "not a valid package name"),
        ("--publisher", "", "--publisher must be 1 to 80 characters"),
        ("--title", "T" * 81, "--title must be 1 to 80 characters"),
    ],
)
def test_bad_options_are_refused_and_nothing_is_written(tmp_path, option, value, message):
    result = _new(_fresh_id(), "--path", str(tmp_path / "nieuw"), option, value)
    assert result.exit_code != 0
    assert message in result.output
    assert list(tmp_path.iterdir()) == []


def test_the_default_folder_is_the_name_in_the_current_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    module_id = _fresh_id()
    assert _new(module_id).exit_code == 0
    assert (tmp_path / module_id / f"openregie_{module_id}" / "module.py").is_file()
    assert [p.name for p in tmp_path.iterdir()] == [module_id]  # no staging folder left
