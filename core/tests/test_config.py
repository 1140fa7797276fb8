"""Installation configuration: OPENREGIE_* environment variables over `openregie.toml` in the
instance folder; a wrong value stops start-up with a ConfigError naming the variable and
what is expected; the secret key is generated once and kept."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from openregie_core.app import StartupError, create_app
from openregie_core.cli import main
from openregie_core.config import ConfigError, ensure_secret_key, load_settings


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch, tmp_path):
    """No OPENREGIE_* variable of the calling shell leaks in; the instance is a tmp folder."""
    for name in list(os.environ):
        if name.startswith("OPENREGIE_") and name != "OPENREGIE_TEST_DATABASE_URL":
            monkeypatch.delenv(name)
    monkeypatch.setenv("OPENREGIE_INSTANCE_PATH", str(tmp_path / "instance"))


@pytest.fixture
def instance(tmp_path) -> Path:
    folder = tmp_path / "instance"
    folder.mkdir()
    return folder


def config_error(**overrides) -> str:
    with pytest.raises(ConfigError) as excinfo:
        load_settings(**overrides)
    return str(excinfo.value)


# -- wrong values are named ---------------------------------------------------------------------


def test_bad_safe_mode_argument_names_the_variable_and_what_is_expected():
    message = config_error(safe_mode="maybe")
    assert "OPENREGIE_SAFE_MODE: expected a boolean (1/0, true/false), got 'maybe'" in message


def test_bad_safe_mode_environment_variable_names_the_variable(monkeypatch):
    monkeypatch.setenv("OPENREGIE_SAFE_MODE", "maybe")
    message = config_error()
    assert message.startswith("invalid configuration:")
    assert "OPENREGIE_SAFE_MODE: expected a boolean (1/0, true/false), got 'maybe'" in message


@pytest.mark.parametrize("value", ["1", "true", "0", "false"])
def test_boolean_variables_accept_the_documented_spellings(monkeypatch, value):
    monkeypatch.setenv("OPENREGIE_SAFE_MODE", value)
    assert load_settings().safe_mode is (value in ("1", "true"))


def test_unsupported_database_url_is_named(monkeypatch):
    monkeypatch.setenv("OPENREGIE_DATABASE_URL", "mysql://wijkteam@db/openregie")
    message = config_error()
    assert (
        "OPENREGIE_DATABASE_URL: expected a sqlite:/// or postgresql:// URL, "
        "got 'mysql://wijkteam@db/openregie'"
    ) in message


@pytest.mark.parametrize("value", ["casemanagement,Zorg-Module", "portal,9lives", "müller"])
def test_bad_module_id_in_modules_is_named(monkeypatch, value):
    monkeypatch.setenv("OPENREGIE_MODULES", value)
    message = config_error()
    assert "OPENREGIE_MODULES: expected a comma-separated list of module ids" in message
    assert repr(value) in message


def test_bad_module_id_in_disable_modules_is_named(monkeypatch):
    monkeypatch.setenv("OPENREGIE_DISABLE_MODULES", "portal;consent")
    assert "OPENREGIE_DISABLE_MODULES: expected a comma-separated list of module ids" in (
        config_error()
    )


def test_several_wrong_values_are_all_named(monkeypatch):
    monkeypatch.setenv("OPENREGIE_SAFE_MODE", "maybe")
    monkeypatch.setenv("OPENREGIE_MODE", "staging")
    message = config_error()
    assert "OPENREGIE_SAFE_MODE: expected a boolean" in message
    assert "OPENREGIE_MODE: expected one of production, development, demo, test, got 'staging'" in (
        message
    )


# -- values are read and normalised ------------------------------------------------------------


@pytest.mark.parametrize("scheme", ["postgresql", "postgres"])
def test_postgresql_url_is_normalised_to_the_psycopg_driver(monkeypatch, scheme):
    monkeypatch.setenv("OPENREGIE_DATABASE_URL", f"{scheme}://wijkteam:geheim@db:5432/openregie")
    settings = load_settings()
    assert settings.database_url == "postgresql+psycopg://wijkteam:geheim@db:5432/openregie"
    assert settings.resolved_database_url == settings.database_url


def test_without_a_database_url_sqlite_lives_in_the_instance_folder(instance):
    settings = load_settings()
    assert settings.instance_path == instance
    assert settings.resolved_database_url == f"sqlite:///{instance / 'openregie.db'}"


def test_comma_separated_module_lists_are_parsed(monkeypatch):
    monkeypatch.setenv("OPENREGIE_MODULES", " casemanagement, portal ,,reporting ")
    monkeypatch.setenv("OPENREGIE_DISABLE_MODULES", "portal")
    settings = load_settings()
    assert settings.modules == ["casemanagement", "portal", "reporting"]
    assert settings.disable_modules == ["portal"]


def test_without_modules_variable_the_installation_default_applies():
    settings = load_settings()
    assert settings.modules is None
    assert settings.disable_modules == []


# -- the TOML file -----------------------------------------------------------------------------

TOML = """\
enabled_modules = ["casemanagement", "portal"]
mode = "development"
session_idle_minutes = 15

[modules.casemanagement]
page_size = 25

[modules.portal]
welcome = "Welkom bij het wijkteam"
"""


def test_toml_file_in_the_instance_folder_is_read(instance):
    (instance / "openregie.toml").write_text(TOML)

    settings = load_settings()

    assert settings.modules == ["casemanagement", "portal"]
    assert settings.mode == "development"
    assert settings.session_idle_minutes == 15
    assert settings.module_config == {
        "casemanagement": {"page_size": 25},
        "portal": {"welcome": "Welkom bij het wijkteam"},
    }


def test_toml_file_is_found_through_an_explicit_instance_path(tmp_path):
    elsewhere = tmp_path / "elders"
    elsewhere.mkdir()
    (elsewhere / "openregie.toml").write_text('mode = "demo"\n')
    assert load_settings(instance_path=elsewhere).mode == "demo"


def test_config_file_variable_points_at_another_file(monkeypatch, tmp_path, instance):
    (instance / "openregie.toml").write_text('mode = "development"\n')
    other = tmp_path / "productie.toml"
    other.write_text('mode = "demo"\n')
    monkeypatch.setenv("OPENREGIE_CONFIG_FILE", str(other))
    assert load_settings().mode == "demo"


def test_environment_wins_over_the_toml_file(monkeypatch, instance):
    (instance / "openregie.toml").write_text(TOML)
    monkeypatch.setenv("OPENREGIE_MODULES", "consent")
    monkeypatch.setenv("OPENREGIE_MODE", "production")

    settings = load_settings()

    assert settings.modules == ["consent"]
    assert settings.mode == "production"
    assert settings.session_idle_minutes == 15  # not overridden: still from the file
    assert settings.module_config["casemanagement"] == {"page_size": 25}


def test_wrong_value_in_the_toml_file_is_named(instance):
    (instance / "openregie.toml").write_text('safe_mode = "maybe"\n')
    assert "OPENREGIE_SAFE_MODE: expected a boolean (1/0, true/false), got 'maybe'" in (
        config_error()
    )


def test_module_settings_from_the_toml_file_reach_the_module(
    instance, add_module, new_id, monkeypatch
):
    module_id = new_id("agenda")
    add_module(
        module_id,
        settings="{pkg}.settings:Settings",
        files={
            "settings.py": "from openregie_sdk import ModuleSettings\n\n\n"
            "class Settings(ModuleSettings):\n    page_size: int = 20\n"
        },
    )
    (instance / "openregie.toml").write_text(
        f'enabled_modules = ["{module_id}"]\nstrict_modules = true\n\n'
        f'[modules.{module_id}]\npage_size = "veel"\n'
    )
    monkeypatch.setenv("OPENREGIE_DATABASE_URL", f"sqlite:///{instance / 'config-test.db'}")

    with pytest.raises(StartupError) as excinfo:
        create_app(load_settings())

    assert f"module {module_id} is failed: invalid settings: {module_id}.page_size:" in str(
        excinfo.value
    )


# -- the secret key ----------------------------------------------------------------------------


def test_secret_key_is_generated_into_the_instance_folder_once_and_reused(tmp_path):
    folder = tmp_path / "nieuw"  # does not exist yet: first run
    settings = load_settings(instance_path=folder)

    key = ensure_secret_key(settings)

    path = folder / "secret_key"
    assert path.read_text() == key
    assert len(key) >= 32
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert ensure_secret_key(load_settings(instance_path=folder)) == key  # a restart reuses it
    other = tmp_path / "ander"
    assert ensure_secret_key(load_settings(instance_path=other)) != key


def test_configured_secret_key_is_used_and_must_be_long_enough(monkeypatch, instance):
    monkeypatch.setenv("OPENREGIE_SECRET_KEY", "x" * 40)
    assert ensure_secret_key(load_settings()) == "x" * 40
    assert not (instance / "secret_key").exists()

    monkeypatch.setenv("OPENREGIE_SECRET_KEY", "te-kort")
    with pytest.raises(ConfigError, match="OPENREGIE_SECRET_KEY: expected at least 32 characters"):
        ensure_secret_key(load_settings())


# -- the CLI reports configuration errors without a traceback -----------------------------------


def test_cli_with_bad_configuration_exits_with_the_message_and_no_traceback(tmp_path):
    result = CliRunner().invoke(
        main,
        ["modules", "list"],
        env={"OPENREGIE_SAFE_MODE": "maybe", "OPENREGIE_INSTANCE_PATH": str(tmp_path)},
    )

    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    assert "Error: invalid configuration:" in result.output
    assert "OPENREGIE_SAFE_MODE: expected a boolean (1/0, true/false), got 'maybe'" in result.output
    assert "Traceback" not in result.output


def test_installed_cli_with_bad_configuration_exits_with_the_message_and_no_traceback(tmp_path):
    executable = Path(sys.executable).parent / "openregie"
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPENREGIE_")}
    env.update(OPENREGIE_SAFE_MODE="maybe", OPENREGIE_INSTANCE_PATH=str(tmp_path))

    completed = subprocess.run(
        [str(executable), "modules", "list"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert completed.returncode == 1
    assert "OPENREGIE_SAFE_MODE: expected a boolean (1/0, true/false), got 'maybe'" in (
        completed.stderr
    )
    assert "Traceback" not in completed.stderr + completed.stdout
