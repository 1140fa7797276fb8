"""Every combination of the four first-party modules (casemanagement, consent, portal,
reporting: 16 sets, the empty one included) either starts and serves its pages, or is
refused with a message naming the missing capability (ARCHITECTURE §7).

For each set the application starts on a database migrated for exactly that set; then a
functional admin, a professional, a team lead and a policy officer each walk every GET
route without URL parameters (logged in afresh before each request, so a page that ends or
changes the session does not spoil the rest): no answer may be a server error, and every
loaded module serves at least one of its pages (200) to one of them.

The portal requires the `casemanagement` capability: without a module providing it the
portal is *blocked* with a reason naming the capability while the rest keeps serving, and
strict mode refuses to start, saying so.

A module declaring an SDK range that excludes the installed SDK is shown as incompatible,
with the reason, on the admin page and by `openregie modules list`, and the rest works.
"""

from __future__ import annotations

import json
from itertools import combinations
from typing import Any

import pytest
from click.testing import CliRunner
from markupsafe import escape

from openregie_core.app import StartupError
from openregie_core.cli import main
from openregie_sdk import SDK_VERSION
from openregie_sdk.testing.plugin import log_in

FIRST_PARTY = ("casemanagement", "consent", "portal", "reporting")
COMBINATIONS = [
    combo for size in range(len(FIRST_PARTY) + 1) for combo in combinations(FIRST_PARTY, size)
]
# What a module needs from others: capability → the module that provides it here.
REQUIRES = {"portal": {"casemanagement": "casemanagement"}}
KINDS = ("functional_admin", "professional", "team_lead", "policy_officer")


def _name(combo: tuple[str, ...]) -> str:
    return "+".join(combo) or "core-only"


def _missing(combo: tuple[str, ...]) -> dict[str, list[str]]:
    """module → the capabilities it requires that no module of `combo` provides."""
    return {
        module: [cap for cap, provider in needs.items() if provider not in combo]
        for module, needs in REQUIRES.items()
        if module in combo and any(provider not in combo for provider in needs.values())
    }


def _routes(app: Any) -> list[tuple[str, str]]:
    """(path, endpoint) of every GET rule without URL parameters."""
    return sorted(
        (rule.rule, rule.endpoint)
        for rule in app.url_map.iter_rules()
        if "GET" in (rule.methods or ()) and not rule.arguments and rule.endpoint != "static"
    )


def _walk(app: Any) -> tuple[list[str], set[str]]:
    """Walk the routes as each kind of staff user: (server errors, endpoints that gave 200)."""
    errors: list[str] = []
    served: set[str] = set()
    routes = _routes(app)
    for kind in KINDS:
        client = app.test_client()
        log_in(app, client, kind)
        with client.session_transaction() as cookie:
            logged_in = dict(cookie)
        for path, endpoint in routes:
            with client.session_transaction() as cookie:
                cookie.clear()
                cookie.update(logged_in)
            response = client.get(path)
            if response.status_code >= 500:
                errors.append(f"{kind} GET {path} ({endpoint}): {response.status_code}")
            elif response.status_code == 200:
                served.add(endpoint)
    return errors, served


def _module_of(app: Any, endpoint: str) -> str | None:
    blueprint = endpoint.rsplit(".", 1)[0] if "." in endpoint else None
    if blueprint is None:
        return None
    modules = app.extensions["openregie"].modules
    for module_id in modules.loaded_ids:
        if blueprint == module_id or blueprint.startswith(f"{module_id}_"):
            return module_id
    return None


@pytest.mark.parametrize("combo", COMBINATIONS, ids=_name)
def test_each_combination_starts_and_serves_its_pages_or_names_what_is_missing(make_app, combo):
    app = make_app(list(combo), strict_modules=False)
    modules = app.extensions["openregie"].modules
    missing = _missing(combo)

    for module_id in combo:
        record = modules.get(module_id)
        assert record is not None, f"{module_id} is not installed"
        if module_id in missing:
            assert record.state.value == "blocked"
            for capability in missing[module_id]:
                assert f"capability {capability}" in str(record.reason), str(record.reason)
        else:
            assert record.state.value == "loaded", f"{module_id}: {record.reason}"
    assert sorted(modules.loaded_ids) == sorted(m for m in combo if m not in missing)

    errors, served = _walk(app)
    assert errors == []
    assert app.test_client().get("/health").status_code == 200
    serving = {_module_of(app, endpoint) for endpoint in served}
    assert set(modules.loaded_ids) <= serving, f"loaded but serving no page: {serving}"
    for module_id in missing:  # a blocked module's pages are not there at all
        assert not any(endpoint.startswith(f"{module_id}.") for endpoint in app.view_functions)


@pytest.mark.parametrize("combo", [c for c in COMBINATIONS if _missing(c)], ids=_name)
def test_strict_mode_refuses_a_combination_missing_a_capability_naming_it(make_app, combo):
    with pytest.raises(StartupError) as refused:
        make_app(list(combo), strict_modules=True)
    message = str(refused.value)
    assert "portal" in message
    assert "capability casemanagement" in message


FUTURE_MANIFEST = """\
from openregie_sdk import ModuleManifest

MANIFEST = ModuleManifest(
    id="toekomst", title="Toekomstmodule", publisher="Morgen BV", sdk=">=2,<3",
    hooks=("{pkg}.hooks",),
)
"""


def test_a_module_for_another_sdk_is_shown_incompatible_with_the_reason_and_the_rest_works(
    make_app, module_distributions, tmp_path
):
    # Its hooks would fail on import: the SDK range is checked before any of its code runs.
    module_distributions.add(
        "toekomst", FUTURE_MANIFEST, {"hooks.py": "raise RuntimeError('SDK 2 only')\n"}
    )
    enabled = ["casemanagement", "reporting", "toekomst"]
    app = make_app(enabled, strict_modules=False)
    reason = f"needs SDK >=2,<3, but SDK {SDK_VERSION} is installed"

    client = app.test_client()
    log_in(app, client, "functional_admin")
    page = client.get("/admin/modules", headers={"Accept-Language": "en"})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Toekomstmodule" in html
    assert str(escape(reason)) in html
    assert ">incompatible<" in html
    errors, served = _walk(app)
    assert errors == []
    assert {"casemanagement.worklist", "reporting.report"} <= served

    url = app.extensions["openregie"].engine.url.render_as_string(hide_password=False)
    env = {
        "OPENREGIE_DATABASE_URL": url,
        "OPENREGIE_INSTANCE_PATH": str(tmp_path / "cli-instance"),
        "OPENREGIE_MODE": "test",
        "OPENREGIE_MODULES": ",".join(enabled),
        "OPENREGIE_DISABLE_MODULES": None,
        "OPENREGIE_SAFE_MODE": None,
        "OPENREGIE_STRICT_MODULES": None,
        "OPENREGIE_CONFIG_FILE": None,
    }
    listed = CliRunner().invoke(main, ["modules", "list", "--json"], env=env)
    assert listed.exit_code == 0, listed.output
    rows = {row["id"]: row for row in json.loads(listed.output)["modules"]}
    assert rows["toekomst"]["state"] == "incompatible"
    assert rows["toekomst"]["reason"] == reason
    assert rows["casemanagement"]["state"] == rows["reporting"]["state"] == "loaded"
    table = CliRunner().invoke(main, ["modules", "list"], env=env)
    assert table.exit_code == 0, table.output
    line = next(row for row in table.output.splitlines() if "toekomst" in row)
    assert "incompatible" in line
    assert "needs SDK >=2,<3" in line
