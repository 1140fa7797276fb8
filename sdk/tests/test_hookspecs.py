"""Every hook spec states its contract where it is declared: class, SDK version, when it
fires, what it returns and what happens when it raises."""

from __future__ import annotations

import inspect

import pytest

from openregie_sdk import hookspecs
from openregie_sdk.hookspecs import HookKind

SPECS = [
    function
    for name, function in inspect.getmembers(hookspecs, inspect.isfunction)
    if name.startswith("openregie_")
]


def test_there_are_hook_specs():
    assert len(SPECS) >= 6


@pytest.mark.parametrize("spec", SPECS, ids=lambda f: f.__name__)
def test_spec_declares_its_class_version_and_contract(spec):
    assert isinstance(spec.openregie_kind, HookKind)
    assert spec.openregie_since.startswith("1.")
    doc = inspect.getdoc(spec) or ""
    for part in ("Fires:", "Returns", "raises"):
        assert part in doc, f"{spec.__name__} docstring lacks {part!r}"
