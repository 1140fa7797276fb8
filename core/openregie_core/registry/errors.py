"""What the registry services raise: problems that name the field, for a clear 4xx answer
or a line in an import report, never a 500."""

from __future__ import annotations

from pydantic import ValidationError


class RegistryError(Exception):
    """The registry refuses the input. `problems` are (field, message) pairs."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
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


_MESSAGES = {
    "string_too_short": "must not be empty",
    "string_too_long": "is longer than {max_length} characters",
    "greater_than_equal": "must be at least {ge}",
    "less_than_equal": "must be at most {le}",
    "greater_than": "must be more than {gt}",
}


def problems_of(error: ValidationError) -> list[tuple[str, str]]:
    """(field, message) pairs of a pydantic error, without pydantic's "Value error, "."""
    problems = []
    for item in error.errors(include_url=False):
        field = ".".join(str(part) for part in item["loc"]) or "input"
        context = item.get("ctx") or {}
        if item["type"] == "value_error" and "error" in context:
            message = str(context["error"])
        elif item["type"] == "missing":
            message = "is required"
        elif item["type"] == "extra_forbidden":
            message = "is not a known field"
        elif item["type"] in _MESSAGES:
            message = _MESSAGES[item["type"]].format(**context)
        else:
            message = item["msg"][:1].lower() + item["msg"][1:]
        problems.append((field, message))
    return problems
