"""URL rules compile their URL builders on first use (`openregie_core.routing`): every
rule of an application with every module builds the same URLs as werkzeug's own rules,
and a rule no one built a URL of has compiled nothing."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from flask import url_for
from werkzeug.routing import Map
from werkzeug.routing import Rule as WerkzeugRule

from openregie_core.routing import Rule

FIRST_PARTY = ["casemanagement", "consent", "portal", "reporting"]


def _arguments(rule: Any) -> dict[str, Any]:
    """A value for each of the rule's variables, by its converter."""
    values: dict[str, Any] = {}
    for name, converter in rule._converters.items():
        kind = type(converter).__name__
        if kind == "AnyConverter":
            values[name] = sorted(converter.items)[0]
        elif kind == "UUIDConverter":
            values[name] = uuid.UUID(int=len(name))
        elif kind in ("IntegerConverter", "NumberConverter"):
            values[name] = 7
        else:
            values[name] = "a b/ü"
    return values


@pytest.mark.openregie_modules(*FIRST_PARTY)
def test_every_rule_builds_the_url_werkzeugs_own_rule_builds(app):
    rules = list(app.url_map.iter_rules())
    assert len(rules) > 100
    assert all(isinstance(rule, Rule) for rule in rules)
    eager = Map(
        [WerkzeugRule(rule.rule, endpoint=rule.endpoint, defaults=rule.defaults) for rule in rules],
        converters=app.url_map.converters,
    )
    eager_urls = eager.bind("localhost")
    with app.test_request_context():
        for rule in rules:
            arguments = _arguments(rule)
            extra = {"q": "x y", "page": 2}
            assert url_for(rule.endpoint, **arguments) == eager_urls.build(
                rule.endpoint, arguments
            ), rule.rule
            assert url_for(rule.endpoint, **arguments, **extra) == eager_urls.build(
                rule.endpoint, {**arguments, **extra}
            ), rule.rule


def test_a_rule_compiles_its_builder_only_when_a_url_is_built():
    url_map = Map([Rule("/casussen/<uuid:case_id>", endpoint="case")])
    rule = next(url_map.iter_rules())
    assert rule._build.__name__ == rule._build_unknown.__name__ == "build_on_first_use"

    built = url_map.bind("localhost").build("case", {"case_id": uuid.UUID(int=1)})

    assert built == "/casussen/00000000-0000-0000-0000-000000000001"
    assert rule._build_unknown.__name__ != "build_on_first_use"  # werkzeug's own, kept
