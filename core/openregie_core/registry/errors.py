"""What the registry services raise: problems that name the field, for a clear 4xx answer
or a line in an import report, never a 500."""

from __future__ import annotations

from flask_babel import gettext
from pydantic import ValidationError

from openregie_core.i18n import N_


class RegistryError(Exception):
    """The registry refuses the input. `problems` are (field, message) pairs."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        # Messages may be lazy (translated when shown): fixed here, in the current language.
        problems = [(field, str(message)) for field, message in problems]
        super().__init__("; ".join(f"{field}: {message}" for field, message in problems))
        self.problems = problems

    @classmethod
    def on(cls, field: str, message: str) -> RegistryError:
        return cls([(field, message)])


class NotFound(RegistryError):
    """A referenced record does not exist."""


class ConflictError(RegistryError):
    """Someone else changed the record since it was read (optimistic locking): reload, then
    apply the change again."""


# Dutch message ids for pydantic's error types; the placeholders are pydantic's context keys.
_MESSAGES = {
    "missing": N_("is verplicht"),
    "extra_forbidden": N_("is geen bekend veld"),
    "string_too_short": N_("mag niet leeg zijn"),
    "string_too_long": N_("is langer dan %(max_length)s tekens"),
    "string_pattern_mismatch": N_(
        "bevat een teken dat hier niet is toegestaan (zoals een stuurteken)"
    ),
    "greater_than_equal": N_("moet minstens %(ge)s zijn"),
    "less_than_equal": N_("mag hoogstens %(le)s zijn"),
    "greater_than": N_("moet meer dan %(gt)s zijn"),
    "decimal_max_places": N_("heeft meer dan %(decimal_places)s decimalen"),
    "string_type": N_("moet tekst zijn"),
    "int_parsing": N_("moet een geheel getal zijn"),
    "int_type": N_("moet een geheel getal zijn"),
    "int_from_float": N_("moet een geheel getal zijn"),
    "decimal_parsing": N_("moet een getal zijn"),
    "decimal_type": N_("moet een getal zijn"),
    "date_parsing": N_("moet een datum zijn (zoals 2024-01-31)"),
    "date_from_datetime_parsing": N_("moet een datum zijn (zoals 2024-01-31)"),
    "date_type": N_("moet een datum zijn (zoals 2024-01-31)"),
    "uuid_parsing": N_("moet een geldige id (UUID) zijn"),
    "uuid_type": N_("moet een geldige id (UUID) zijn"),
    "list_type": N_("moet een lijst zijn"),
    "model_type": N_("moet een object zijn"),
    "dict_type": N_("moet een object zijn"),
}


def problems_of(error: ValidationError) -> list[tuple[str, str]]:
    """(field, message) pairs of a pydantic error, without pydantic's "Value error, ", in the
    current language."""
    problems = []
    for item in error.errors(include_url=False):
        field = ".".join(str(part) for part in item["loc"]) or "input"
        context = item.get("ctx") or {}
        if item["type"] == "value_error" and "error" in context:
            message = str(context["error"])
        elif item["type"] in _MESSAGES:
            template = _MESSAGES[item["type"]]
            message = gettext(template, **_params(context))
        else:
            message = gettext("is ongeldig (%(detail)s)", detail=item["msg"])
        problems.append((field, message))
    return problems


def _params(context: dict[str, object]) -> dict[str, str]:
    return {key: str(value) for key, value in context.items()}
