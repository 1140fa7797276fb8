"""WSGI entry point for production servers: `gunicorn openregie_core.wsgi:app`."""

from openregie_core.app import create_app

app = create_app()
