"""Translation helpers. Message ids are the Dutch texts; English lives in `translations/`.

`N_` marks a text for extraction (`pybabel extract -k N_`) without translating it: for
values stored or passed on as data (nav labels, permission titles, code labels) that are
translated where they are shown, with `_(...)` in a template or `gettext` in Python.
"""

from __future__ import annotations

from pathlib import Path

LANGUAGES = ("nl", "en")
TRANSLATIONS = Path(__file__).resolve().parent / "translations"


def N_(message: str) -> str:
    """Marks `message` for extraction and returns it unchanged."""
    return message
