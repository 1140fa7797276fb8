"""Building what a command needs, turning configuration problems into clear messages."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import click
from flask_babel import force_locale

from openregie_core.config import ConfigError, Settings, load_settings
from openregie_core.i18n import in_english


def settings_or_exit() -> Settings:
    try:
        return load_settings()
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None


def app_or_exit() -> Any:
    from openregie_core.app import StartupError, create_app

    try:
        return create_app(settings_or_exit())
    except (ConfigError, StartupError) as exc:
        raise click.ClickException(str(exc)) from None


@contextmanager
def app_context() -> Iterator[Any]:
    """An application context whose session is closed (and events dispatched) at the end."""
    app = app_or_exit()
    runtime = app.extensions["openregie"]
    # The CLI is for operators and speaks English: messages with Dutch ids come out translated.
    with app.app_context(), force_locale("en"):
        try:
            yield runtime
        finally:
            runtime.close_cli_session()
    runtime.engine.dispose()


def module_cli(module_id: str) -> tuple[Any, click.Group]:
    """The app and the command group of a loaded module, or a clear error."""
    app = app_or_exit()
    record = app.extensions["openregie"].modules.get(module_id)
    if record is None or record.state.value != "loaded":
        reason = f"{record.state.value}: {in_english(record.reason)}" if record else "not installed"
        raise click.ClickException(f"module {module_id} is not loaded ({reason})")
    if not isinstance(record.cli, click.Group):
        raise click.ClickException(f"module {module_id} contributes no commands")
    return app, record.cli
