"""The `openregie` command: fast help, modules administration, users, demo data, db and
module command groups — each with clear errors and non-zero exits for bad input."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from sqlalchemy import select

from openregie_core.migrate import Migrator, lineages_for
from openregie_core.models import ModuleEvent, ModuleSelection, User

FIRST_PARTY = {"casemanagement", "consent", "portal", "reporting"}


def _session(app):
    return app.extensions["openregie"].session_factory()


def test_help_answers_without_importing_the_application():
    probe = (
        "import sys\n"
        "from openregie_core.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = ('flask', 'sqlalchemy', 'alembic', 'pydantic')\n"
        "print('HEAVY', sorted(m for m in heavy if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    assert "HEAVY []" in out
    for command in ("serve", "db", "modules", "users", "demo", "casemanagement"):
        assert f"  {command} " in out


def test_modules_list_json_shows_the_first_party_modules_loaded(cli):
    result = cli("modules", "list", "--json")
    assert result.exit_code == 0, result.output
    rows = {row["id"]: row for row in json.loads(result.output)["modules"]}
    assert set(rows) >= FIRST_PARTY
    for module_id in FIRST_PARTY:
        assert rows[module_id]["state"] == "loaded", rows[module_id]
        assert rows[module_id]["distribution"] == f"openregie-{module_id}"
        assert rows[module_id]["version"]


def test_disable_and_enable_are_recorded_logged_and_shown(cli, app):
    assert cli("modules", "disable", "reporting").exit_code == 0
    listed = {r["id"]: r for r in json.loads(cli("modules", "list", "--json").output)["modules"]}
    assert listed["reporting"]["state"] == "installed"
    assert listed["reporting"]["reason"] == "disabled by the functional admin"

    result = cli("modules", "enable", "reporting")
    assert result.exit_code == 0
    assert "db upgrade" in result.output
    with _session(app) as session:
        assert session.get(ModuleSelection, "reporting").enabled is True
        actions = session.scalars(
            select(ModuleEvent.action)
            .where(ModuleEvent.module_id == "reporting")
            .order_by(ModuleEvent.at)
        ).all()
    assert actions == ["disabled", "enabled"]


def test_enabling_is_refused_while_configuration_sets_the_modules(cli, app):
    result = cli("modules", "disable", "reporting", OPENREGIE_MODULES="reporting")
    assert result.exit_code != 0
    assert "OPENREGIE_MODULES" in result.output
    with _session(app) as session:
        assert session.get(ModuleSelection, "reporting") is None


def test_unknown_module_gets_a_clear_error(cli):
    result = cli("modules", "enable", "nosuchmodule")
    assert result.exit_code != 0
    assert "no installed module 'nosuchmodule'" in result.output
    assert "Traceback" not in result.output


def test_purge_needs_the_id_repeated_and_refuses_a_loaded_module(cli):
    wrong = cli("modules", "purge", "reporting", "--confirm", "report")
    assert wrong.exit_code != 0 and "must repeat the module id" in wrong.output
    loaded = cli("modules", "purge", "reporting", "--confirm", "reporting")
    assert loaded.exit_code != 0 and "disable it" in loaded.output


def test_modules_show_redacts_nothing_it_should_not_and_lists_tables(cli):
    result = cli("modules", "show", "casemanagement")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["state"] == "loaded"
    assert data["settings"] == {
        "no_contact_days": "30",
        "evaluation_months": "6",
        "max_upload_mb": "10",
        "page_size": "25",
    }
    assert "casemanagement_case" in data["tables"]


def test_users_create_stores_an_argon2_hash(cli, app):
    result = cli(
        "users",
        "create",
        "--username",
        "Jansen",
        "--name",
        "Jan Jansen",
        "--kind",
        "professional",
        "--password-env",
        "PW",
        PW="een-lang-wachtwoord",
    )
    assert result.exit_code == 0, result.output
    with _session(app) as session:
        user = session.scalar(select(User).where(User.username == "jansen"))
    assert user.display_name == "Jan Jansen"
    assert user.password_hash.startswith("$argon2id$")


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (
            ["--username", "a", "--name", "A", "--kind", "professional", "--password-env", "PW"],
            {"PW": "kort"},
            "password:",
        ),
        (
            ["--username", "a b", "--name", "A", "--kind", "professional", "--password-env", "PW"],
            {"PW": "een-lang-wachtwoord"},
            "username:",
        ),
        (
            ["--username", "a", "--name", "A", "--kind", "professional", "--password-env", "NOPE"],
            {},
            "NOPE is empty or unset",
        ),
        (
            ["--username", "a", "--name", "A", "--kind", "wizard", "--password-env", "PW"],
            {"PW": "een-lang-wachtwoord"},
            "wizard",
        ),
    ],
)
def test_users_create_rejects_bad_input_and_writes_nothing(cli, app, args, env, message):
    result = cli("users", "create", *args, **env)
    assert result.exit_code != 0
    assert message in result.output
    with _session(app) as session:
        assert session.scalars(select(User)).all() == []


def test_duplicate_username_is_refused(cli):
    args = [
        "users",
        "create",
        "--username",
        "piet",
        "--name",
        "Piet",
        "--kind",
        "team_lead",
        "--password-env",
        "PW",
    ]
    assert cli(*args, PW="een-lang-wachtwoord").exit_code == 0
    again = cli(*args, PW="een-lang-wachtwoord")
    assert again.exit_code != 0 and "already taken" in again.output


def test_demo_is_refused_in_production_mode(cli, app):
    result = cli("demo", OPENREGIE_MODE="production")
    assert result.exit_code != 0
    assert "only for demo and development" in result.output
    with _session(app) as session:
        assert session.scalars(select(User)).all() == []


def test_demo_seeds_an_account_per_role_and_can_run_twice(cli, app):
    first = cli("demo")
    assert first.exit_code == 0, first.output
    assert "beheerder" in first.output and "demo-wachtwoord" in first.output
    assert cli("demo").exit_code == 0
    with _session(app) as session:
        kinds = sorted(session.scalars(select(User.kind)).all())
    assert kinds == ["functional_admin", "policy_officer", "professional", "team_lead"]


def test_db_commands_report_an_up_to_date_database(cli, app):
    assert "nothing to do" in cli("db", "upgrade").output
    pending = cli("db", "pending")
    assert pending.exit_code == 0 and "core: up to date" in pending.output
    check = cli("db", "check")
    assert check.exit_code == 0 and "no drift" in check.output
    current = cli("db", "current").output
    runtime = app.extensions["openregie"]
    for lineage, heads in Migrator(runtime.engine, lineages_for(runtime.modules)).heads().items():
        assert f"{lineage}: {', '.join(heads)}" in current


def test_downgrade_outside_development_needs_the_typed_module_id(cli):
    refused = cli(
        "db",
        "downgrade",
        "--module",
        "casemanagement",
        "base",
        OPENREGIE_MODE="production",
        input="nee\n",
    )
    assert refused.exit_code != 0 and "not confirmed" in refused.output
    before = cli("db", "current").output
    assert "casemanagement: casemanagement_0" in before and "(none)" not in before

    confirmed = cli(
        "db",
        "downgrade",
        "--module",
        "casemanagement",
        "base",
        OPENREGIE_MODE="production",
        input="casemanagement\n",
    )
    assert confirmed.exit_code == 0, confirmed.output
    assert "casemanagement: (none)" in cli("db", "current").output


def test_db_upgrade_creates_a_fresh_database(make_app, openregie_cli):
    app = make_app([], migrate=False)
    url = app.extensions["openregie"].engine.url.render_as_string(hide_password=False)
    result = openregie_cli("db", "upgrade", database_url=url, OPENREGIE_MODULES="casemanagement")
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "upgraded: core, casemanagement"


def test_a_modules_command_group_runs_inside_the_application(module_distributions, app, cli):
    module_distributions.add(
        "greeter",
        """
        from openregie_sdk import ModuleManifest
        MANIFEST = ModuleManifest(id="greeter", title="Greeter", publisher="Tests",
                                  sdk=">=1.0,<2", cli="{pkg}.commands:group")
        """,
        {
            "commands.py": """
            import click
            from sqlalchemy import text
            from openregie_sdk import db_session

            @click.group()
            def group():
                "Greeter commands."

            @group.command()
            def hello():
                click.echo("hello " + str(db_session().execute(text("SELECT 40 + 2")).scalar()))
            """
        },
    )
    result = cli("greeter", "hello", OPENREGIE_MODULES="greeter")
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "hello 42"
    not_loaded = cli("greeter", "hello", OPENREGIE_MODULES="casemanagement")
    assert not_loaded.exit_code != 0 and "module greeter is not loaded" in not_loaded.output


def test_a_module_command_group_answers_to_its_announced_name_and_to_its_id(cli):
    help_text = cli("--help").output
    assert "  report " in help_text and "  reporting " not in help_text
    for name in ("report", "reporting"):
        result = cli(name, "export", "--municipality", "GM9999", "--period", "2026-Q3",
                     "--format", "csv", "--output", "-")  # fmt: skip
        assert result.exit_code != 0
        assert "unknown municipality 'GM9999'" in result.output, result.output
