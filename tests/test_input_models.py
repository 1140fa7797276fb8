"""hypothesis over every pydantic input model of the JSON API (core's and the modules'):
whatever a client sends, a model either validates it or raises `ValidationError` (which the
API turns into a 400 naming the field) — never another exception, which would be a 500.

The input models are found the way flask-openapi3 finds them: the `path`, `query`, `body`,
`form`, `header` and `cookie` parameters of the API's view functions, so a new operation is
covered without touching this file.
"""

from __future__ import annotations

import contextlib
import importlib
import inspect
import pkgutil
import typing
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

API_PACKAGES = ("openregie_core.api", "openregie_casemanagement.api", "openregie_consent.api")
REQUEST_PARTS = ("path", "query", "body", "form", "header", "cookie")
EXAMPLES_PER_MODEL = 200

# What arrives from JSON bodies and query strings, edge cases included: huge and negative
# numbers, NaN, control and bidi characters, astral code points, dates that do not exist.
EDGE_TEXT = st.sampled_from(
    [
        "",
        " ",
        "\x00",
        "\u202egnp.exe",
        "e\u0301\u0301\u0301",
        "\U0001f600",
        "2026-02-30",
        "0000-00-00",
        "9999-12-31T23:59:60",
        "1e999",
        "NaN",
        "-0",
        "' OR 1=1 --",
        "<script>alert(1)</script>",
        "../../etc/passwd",
        "x" * 100_000,
        "00000000-0000-0000-0000-000000000000",
        "123456782",
    ]
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(),
    EDGE_TEXT,
    st.uuids().map(str),
    st.dates().map(str),
    st.datetimes().map(lambda moment: moment.isoformat()),
)
JSON = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(), inner)),
    max_leaves=12,
)


def _api_modules() -> list[Any]:
    modules = []
    for name in API_PACKAGES:
        package = importlib.import_module(name)
        modules.append(package)
        for info in pkgutil.iter_modules(package.__path__, f"{name}."):
            modules.append(importlib.import_module(info.name))
    return modules


def input_models() -> list[type[BaseModel]]:
    """Every model an API view takes as a part of the request."""
    found: dict[str, type[BaseModel]] = {}
    for module in _api_modules():
        for _, view in inspect.getmembers(module, inspect.isfunction):
            view = inspect.unwrap(view)
            if view.__module__ != module.__name__:
                continue
            hints = typing.get_type_hints(view)
            for part in REQUEST_PARTS:
                model = hints.get(part)
                if (
                    inspect.isclass(model)
                    and issubclass(model, BaseModel)
                    and model is not BaseModel
                ):
                    found[f"{model.__module__}.{model.__qualname__}"] = model
    return [found[key] for key in sorted(found)]


def _payloads(model: type[BaseModel]) -> st.SearchStrategy[dict[str, Any]]:
    """Objects with the model's own field names (by alias too) holding arbitrary JSON values,
    now and then an unknown field, so validation reaches every field's validators."""
    names = set()
    for name, field in model.model_fields.items():
        names.add(name)
        if field.alias:
            names.add(field.alias)
    known = st.dictionaries(st.sampled_from(sorted(names)), JSON) if names else st.just({})
    return st.tuples(known, st.dictionaries(st.text(max_size=8), JSON, max_size=1)).map(
        lambda parts: {**parts[1], **parts[0]}
    )


def test_every_api_operation_with_input_has_its_models_found() -> None:
    names = {model.__name__ for model in input_models()}
    assert {"PersonIn", "PersonSearch", "CaseIn", "AllocationIn", "ConsentIn"} <= names


@pytest.mark.parametrize("model", input_models(), ids=lambda model: model.__name__)
def test_an_input_model_validates_or_raises_validation_error(model: type[BaseModel]) -> None:
    @settings(
        max_examples=EXAMPLES_PER_MODEL,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(payload=st.one_of(_payloads(model), JSON))
    def check(payload: Any) -> None:
        with contextlib.suppress(ValidationError):
            model.model_validate(payload)

    check()


@pytest.mark.parametrize("model", input_models(), ids=lambda model: model.__name__)
def test_an_input_model_validates_raw_json_text_or_raises_validation_error(
    model: type[BaseModel],
) -> None:
    @settings(max_examples=50, deadline=None, derandomize=True, database=None)
    @given(raw=st.one_of(st.text(), EDGE_TEXT, st.binary().map(lambda b: b.decode("latin-1"))))
    def check(raw: str) -> None:
        with contextlib.suppress(ValidationError):
            model.model_validate_json(raw)

    check()
