"""Templates' `_()`, `gettext` and `ngettext` with the request's translations looked up
once per request.

Flask-Babel finds the translations again on every call (its domain, locale and cache,
through several context lookups): about 13 µs per text, 40 µs from a template, and a case
page translates a hundred texts. These callables keep the translations Flask-Babel returns
in the request's WSGI environment for the rest of the request (not in `g`: an app context
held open around several requests, as tests do, would share them across requests).
Flask-Babel still chooses them (same locale selector, same directories, same cache).
Outside a request (the CLI renders in English under `force_locale`) every call asks
Flask-Babel, as before.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, has_request_context, request
from flask_babel import get_translations

_KEY = "openregie.translations"


def translations() -> Any:
    """This request's translations, from Flask-Babel on first use."""
    if not has_request_context():
        return get_translations()
    environ = request.environ
    found = environ.get(_KEY)
    if found is None:
        found = environ[_KEY] = get_translations()
    return found


def install_template_gettext(app: Flask) -> None:
    """Replace the callables Flask-Babel installed in Jinja (call after `Babel(app)`)."""
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda s: translations().ugettext(s),
        ngettext=lambda s, p, n: translations().ungettext(s, p, n),
        pgettext=lambda c, s: translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: translations().unpgettext(c, s, p, n),
        newstyle=True,
    )
