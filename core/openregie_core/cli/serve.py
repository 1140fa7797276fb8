"""`openregie serve`: the built-in server for development and demos.

In production use gunicorn with `openregie_core.wsgi:app`."""

from __future__ import annotations

import click

from openregie_core.cli.context import app_or_exit


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
def serve(host: str, port: int) -> None:
    """Serve the web application."""
    app = app_or_exit()
    runtime = app.extensions["openregie"]
    click.echo(f"OpenRegie ({runtime.settings.mode}) on http://{host}:{port}/")
    app.run(host=host, port=port, debug=False, use_reloader=False, threaded=True)
