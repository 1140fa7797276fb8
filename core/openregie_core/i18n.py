"""Translation helpers. Message ids are the Dutch texts; English lives in `translations/`.

`N_` marks a text for extraction (`pybabel extract -k N_`) without translating it: for
values stored or passed on as data (nav labels, permission titles, code labels) that are
translated where they are shown, with `_(...)` in a template or `gettext` in Python.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from babel.support import Translations

LANGUAGES = ("nl", "en")
TRANSLATIONS = Path(__file__).resolve().parent / "translations"


def N_(message: str) -> str:
    """Marks `message` for extraction and returns it unchanged."""
    return message


class LazyText:
    """A Dutch message id with its parameters, translated each time it is turned into a
    string: in the language of the current request, Dutch outside one. For texts made
    outside a request (validation messages, module states computed at startup). Unlike
    Flask-Babel's lazy strings it is no `Markup`: a template escapes it like any text, which
    matters because parameters may hold text from elsewhere (a module's error message).
    Import it as `_l` so that `pybabel extract -k _l` finds the message ids."""

    __slots__ = ("message", "params")

    def __init__(self, message: str, **params: object) -> None:
        self.message = message
        self.params = params

    def __str__(self) -> str:
        from flask_babel import gettext

        return gettext(self.message, **self.params)

    def english(self) -> str:
        """The text in English from core's catalogue, without an app or request."""
        translated = _english().gettext(self.message)
        return translated % self.params if self.params else translated

    def __repr__(self) -> str:
        return f"LazyText({str(self)!r})"

    def __eq__(self, other: object) -> bool:
        return str(self) == str(other) if isinstance(other, str | LazyText) else NotImplemented

    def __hash__(self) -> int:
        return hash(str(self))


class JoinedText(LazyText):
    """Texts shown as one, separated by "; ", each translated when shown."""

    __slots__ = ()

    def __init__(self, *parts: str | LazyText) -> None:
        super().__init__("; ", parts=parts)

    def __str__(self) -> str:
        return "; ".join(str(part) for part in self.params["parts"])  # type: ignore[union-attr]

    def english(self) -> str:
        return "; ".join(in_english(part) for part in self.params["parts"])  # type: ignore[union-attr]


@cache
def _english() -> Translations:
    return Translations.load(str(TRANSLATIONS), ["en"])


def in_english(text: str | LazyText) -> str:
    """`text` for operators, who read English: command output, logs and startup errors are
    written outside a request (often outside an app), where `str()` would give Dutch."""
    return text.english() if isinstance(text, LazyText) else text
