"""URL rules that build their URL builder on first use instead of when they are added.

Werkzeug compiles two small Python functions per rule when a rule joins the URL map (one
builds the rule's URL, one also appends unknown arguments as a query string), through
`ast` and `compile`: about 60 % of `create_app` with the ~160 rules of every module
(measured: 0.27 s -> 0.12 s per application). Most rules of a process are never built
into a URL (a worker serves a few pages; a CLI command none), so `Rule` defers that work
to the first `url_for` of the rule; matching requests never needed it.

This overrides werkzeug's `Rule._compile_builder`, an internal method (werkzeug 3): the
builder it returns, when first called, compiles werkzeug's own builder, puts it where
`Rule.compile` put the lazy one, and calls it, so every URL is built by werkzeug's code.
`core/tests/test_routing.py` builds a URL of every rule of an application with every
module both ways and compares them, so a werkzeug that changes this method fails there.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from werkzeug.routing import Rule as WerkzeugRule


class Rule(WerkzeugRule):
    """A werkzeug `Rule` whose URL builders are compiled when first used."""

    def _compile_builder(self, append_unknown: bool = True) -> Callable[..., tuple[str, str]]:
        compile_now = super()._compile_builder
        attribute = "_build_unknown" if append_unknown else "_build"

        def build_on_first_use(rule: Rule, *args: Any, **kwargs: Any) -> tuple[str, str]:
            built = compile_now(append_unknown).__get__(rule, None)
            setattr(rule, attribute, built)
            return built(*args, **kwargs)

        return build_on_first_use
