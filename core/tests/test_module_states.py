"""Module discovery and states: installed → enabled → loaded | incompatible | failed | blocked,
each with a reason a functional admin can act on. Every module here is a real, tiny
distribution that core discovers through its entry point; the loader is not mocked."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from openregie_core.app import StartupError
from openregie_sdk import SDK_VERSION, Permission

PUBLIC_VIEW = """\
from flask import Blueprint

from openregie_sdk import public

blueprint = Blueprint("{pkg}", __name__)


@blueprint.get("/")
@public
def index():
    return "module {pkg} antwoordt"
"""

SETTINGS = """\
from openregie_sdk import ModuleSettings


class Settings(ModuleSettings):
    page_size: int = 20
"""


def marker_preamble(marker: Path, *, then_raise: bool = False) -> str:
    """Code for module.py that leaves `marker` behind when the module is imported."""
    code = f"import pathlib\npathlib.Path({str(marker)!r}).write_text('imported')\n"
    if then_raise:
        code += "raise RuntimeError('must never be imported')\n"
    return code


def state_of(app, module_id):
    record = app.extensions["openregie"].modules.get(module_id)
    assert record is not None, f"{module_id} is not installed"
    # Outside a request a reason reads in Dutch, the language of its message id.
    return record.state.value, str(record.reason)


def loaded_ids(app):
    return app.extensions["openregie"].modules.loaded_ids


def blueprint_fields(url_prefix: str) -> dict:
    """Manifest fields and files of a module serving PUBLIC_VIEW at `url_prefix`."""
    target = "{pkg}.views:blueprint"
    return {
        "raw": {"blueprints": f"(BlueprintRef(target={target!r}, url_prefix={url_prefix!r}),)"},
        "files": {"views.py": PUBLIC_VIEW},
    }


# -- failed: import, manifest, hooks, settings, providers --------------------------------------


def test_module_whose_import_fails_is_failed_and_the_app_still_serves(add_module, new_id, make_app):
    broken, healthy = new_id("broken"), new_id("healthy")
    add_module(broken, preamble="import ortest_no_such_package_anywhere\n")
    add_module(healthy)

    app = make_app([broken, healthy], strict_modules=False)

    state, reason = state_of(app, broken)
    assert state == "failed"
    assert reason.startswith("import failed: ModuleNotFoundError: ")
    assert "ortest_no_such_package_anywhere" in reason
    assert state_of(app, healthy) == ("loaded", "aangezet met OPENREGIE_MODULES")
    assert loaded_ids(app) == [healthy]
    response = app.test_client().get("/health")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_module_whose_hooks_fail_to_import_is_failed_naming_the_import_string(
    add_module, new_id, make_app
):
    module_id = new_id("hooks_broken")
    package = add_module(
        module_id,
        hooks=("{pkg}.hooks",),
        files={"hooks.py": "raise RuntimeError('kapot bij het importeren')\n"},
    )

    app = make_app([module_id], strict_modules=False)

    assert state_of(app, module_id) == (
        "failed",
        f"cannot load {package}.hooks: RuntimeError: kapot bij het importeren",
    )
    assert app.test_client().get("/health").status_code == 200


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        pytest.param(
            {"id": "Bad-Id"}, "invalid manifest: id: String should match pattern", id="bad-id"
        ),
        pytest.param(
            {"id": "admin"},
            "invalid manifest: id: Value error, 'admin' is reserved",
            id="reserved-id",
        ),
        pytest.param(
            {"colour": "blauw"},
            "invalid manifest: colour: Extra inputs are not permitted",
            id="extra",
        ),
        pytest.param(
            {"sdk": "vanaf 1"},
            "invalid manifest: sdk: Value error, not a PEP 440 version specifier: 'vanaf 1'",
            id="bad-sdk-range",
        ),
        pytest.param(
            {"provides": {"agenda": "1.0"}},
            "invalid manifest: manifest: Value error, provides and capability_providers must "
            "name the same capabilities; mismatch: agenda",
            id="provider-missing",
        ),
    ],
)
def test_invalid_manifest_is_failed_with_the_validation_error(
    add_module, new_id, make_app, fields, expected
):
    module_id = new_id("invalid")
    add_module(module_id, **fields)

    app = make_app([module_id], strict_modules=False)

    state, reason = state_of(app, module_id)
    assert state == "failed"
    assert reason.startswith(expected)
    assert loaded_ids(app) == []


def test_entry_point_that_is_not_a_manifest_is_failed(add_module, new_id, make_app):
    module_id = new_id("not_manifest")
    add_module(module_id, manifest=f"MANIFEST = {{'id': {module_id!r}, 'title': 'Dict'}}\n")

    app = make_app([module_id], strict_modules=False)

    assert state_of(app, module_id) == (
        "failed",
        "invalid manifest: entry point gives dict, not a ModuleManifest",
    )


def test_entry_point_name_differing_from_manifest_id_is_failed(add_module, new_id, make_app):
    entry_point, declared = new_id("registered"), new_id("declared")
    add_module(entry_point, id=declared)

    app = make_app([entry_point, declared], strict_modules=False)

    assert state_of(app, entry_point) == (
        "failed",
        f"invalid manifest: id {declared!r} differs from entry-point name {entry_point!r}",
    )
    assert app.extensions["openregie"].modules.get(declared) is None
    assert loaded_ids(app) == []


def test_one_id_registered_by_two_distributions_fails_both(add_module, new_id, make_app):
    module_id = new_id("twice")
    add_module(module_id, distribution=f"ortest-{module_id}-one")
    add_module(module_id, distribution=f"ortest-{module_id}-two")

    app = make_app([module_id], strict_modules=False)

    records = [r for r in app.extensions["openregie"].modules.records if r.id == module_id]
    assert len(records) == 2
    for record in records:
        assert record.state.value == "failed"
        assert str(record.reason) == (
            f"id {module_id!r} is geregistreerd door ortest-{module_id}-one, ortest-{module_id}-two"
        )


def test_hook_wrappers_are_refused_because_they_would_bypass_the_call_policy(
    add_module, new_id, make_app
):
    module_id = new_id("wrapping")
    hooks = (
        "from openregie_sdk import hookimpl\n\n\n@hookimpl(wrapper=True)\n"
        "def openregie_nav_items(actor):\n    return (yield)\n"
    )
    add_module(module_id, hooks=("{pkg}.hooks",), files={"hooks.py": hooks})

    app = make_app([module_id], strict_modules=False)

    assert state_of(app, module_id) == (
        "failed",
        "hook wrappers are not supported: openregie_nav_items",
    )


@pytest.mark.parametrize(
    ("hooks_source", "detail"),
    [
        pytest.param(
            "from openregie_sdk import hookimpl\n\n\n@hookimpl\ndef openregie_no_such_hook():\n"
            "    return []\n",
            "unknown hook 'openregie_no_such_hook'",
            id="unknown-hook",
        ),
        pytest.param(
            "from openregie_sdk import hookimpl\n\n\n@hookimpl\n"
            "def openregie_nav_items(actor, colour):\n    return []\n",
            "Argument(s) {'colour'} are declared in the hookimpl but can not be found in "
            "the hookspec",
            id="wrong-argument",
        ),
    ],
)
def test_hookimpl_that_does_not_match_a_spec_is_failed(
    add_module, new_id, make_app, hooks_source, detail
):
    module_id, healthy = new_id("bad_hooks"), new_id("healthy")
    add_module(module_id, hooks=("{pkg}.hooks",), files={"hooks.py": hooks_source})
    add_module(healthy)

    app = make_app([module_id, healthy], strict_modules=False)

    state, reason = state_of(app, module_id)
    assert state == "failed"
    assert reason.startswith("hook implementation does not match the SDK's hook specs: ")
    assert detail in reason
    assert loaded_ids(app) == [healthy]


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        pytest.param(
            {"page_size": "veel"},
            "page_size: Input should be a valid integer, unable to parse string as an integer",
            id="wrong-type",
        ),
        pytest.param(
            {"colour": "blauw"}, "colour: Extra inputs are not permitted", id="unknown-field"
        ),
    ],
)
def test_invalid_module_settings_value_is_failed_naming_the_field(
    add_module, new_id, make_app, values, expected
):
    module_id = new_id("settings")
    add_module(module_id, settings="{pkg}.settings:Settings", files={"settings.py": SETTINGS})

    app = make_app([module_id], strict_modules=False, module_config={module_id: values})

    assert state_of(app, module_id) == ("failed", f"invalid settings: {module_id}.{expected}")


def test_invalid_module_settings_from_the_environment_is_failed(
    add_module, new_id, make_app, monkeypatch
):
    module_id = new_id("settings_env")
    add_module(module_id, settings="{pkg}.settings:Settings", files={"settings.py": SETTINGS})
    monkeypatch.setenv(f"OPENREGIE_{module_id.upper()}__PAGE_SIZE", "heel veel")

    app = make_app([module_id], strict_modules=False)

    state, reason = state_of(app, module_id)
    assert state == "failed"
    assert reason.startswith(f"invalid settings: {module_id}.page_size: Input should be a valid")


def test_valid_module_settings_are_loaded_and_the_environment_wins(
    add_module, new_id, make_app, monkeypatch
):
    from_config, from_env = new_id("settings_ok"), new_id("settings_env_ok")
    for module_id in (from_config, from_env):
        add_module(module_id, settings="{pkg}.settings:Settings", files={"settings.py": SETTINGS})
    monkeypatch.setenv(f"OPENREGIE_{from_env.upper()}__PAGE_SIZE", "70")

    app = make_app(
        [from_config, from_env],
        strict_modules=False,
        module_config={from_config: {"page_size": "50"}, from_env: {"page_size": 50}},
    )

    runtime = app.extensions["openregie"]
    assert loaded_ids(app) == sorted([from_config, from_env])
    assert runtime.module_settings(from_config).page_size == 50
    assert runtime.module_settings(from_env).page_size == 70


def test_capability_provider_lacking_the_protocol_is_failed(add_module, new_id, make_app):
    module_id = new_id("hollow")
    add_module(
        module_id,
        provides={"casemanagement": "1.0"},
        capability_providers={"casemanagement": "{pkg}.provider:Provider"},
        files={"provider.py": "class Provider:\n    pass\n"},
    )

    app = make_app([module_id], strict_modules=False)

    state, reason = state_of(app, module_id)
    assert state == "failed"
    assert reason.startswith(
        "its casemanagement provider lacks what the casemanagement 1.0 protocol requires: "
    )
    assert "cases_of_household" in reason


def test_a_provider_is_held_to_the_protocol_version_it_declares(add_module, new_id, make_app):
    """1.1 added methods: a 1.0 provider with the 1.0 methods loads; declaring 1.1 with
    only those fails and names a method 1.1 added."""
    methods = (
        "class Provider:\n"
        "    def cases_of_household(self, household_id):\n        return []\n"
        "    def open_case_count(self):\n        return 0\n"
    )
    old, new = new_id("old"), new_id("new")
    for module_id, version in ((old, "1.0"), (new, "1.1")):
        add_module(
            module_id,
            provides={"casemanagement": version},
            capability_providers={"casemanagement": "{pkg}.provider:Provider"},
            files={"provider.py": methods},
        )
    assert state_of(make_app([old], strict_modules=False), old)[0] == "loaded"
    state, reason = state_of(make_app([new], strict_modules=False), new)
    assert state == "failed"
    assert "casemanagement 1.1 protocol requires" in reason
    assert "update_action" in reason
    assert "cases_of_household" not in reason


# -- incompatible ------------------------------------------------------------------------------


def test_module_with_an_incompatible_sdk_range_is_incompatible_and_the_rest_works(
    add_module, new_id, make_app
):
    future, healthy = new_id("future"), new_id("healthy")
    # Its hooks would fail to import: the SDK check comes first, so it is incompatible.
    add_module(
        future,
        sdk=">=2,<3",
        hooks=("{pkg}.hooks",),
        files={"hooks.py": "raise RuntimeError('SDK 2 only')\n"},
    )
    add_module(healthy, **blueprint_fields(f"/{healthy}"))

    app = make_app([future, healthy], strict_modules=False)

    assert state_of(app, future) == (
        "incompatible",
        f"needs SDK >=2,<3, but SDK {SDK_VERSION} is installed",
    )
    assert loaded_ids(app) == [healthy]
    client = app.test_client()
    assert client.get("/health").status_code == 200
    assert client.get(f"/{healthy}/").status_code == 200


# -- blocked: capabilities ---------------------------------------------------------------------


def provider_fields(*capabilities: str, version: str = "1.0") -> dict:
    return {
        "provides": dict.fromkeys(capabilities, version),
        "capability_providers": dict.fromkeys(capabilities, "{pkg}.provider:Provider"),
        "files": {"provider.py": "class Provider:\n    pass\n"},
    }


def test_missing_required_capability_blocks_the_module(add_module, new_id, make_app):
    agenda, needy, healthy = new_id("agenda"), new_id("needy"), new_id("healthy")
    absent_provider = new_id("provider")
    add_module(needy, requires={agenda: ">=1.0"})
    add_module(absent_provider, **provider_fields(agenda))  # installed, not enabled
    add_module(healthy)

    app = make_app([needy, healthy], strict_modules=False)

    assert state_of(app, needy) == (
        "blocked",
        f"vereist capability {agenda} >=1.0, die geen aangezette module levert",
    )
    assert state_of(app, absent_provider) == ("installed", "staat niet in OPENREGIE_MODULES")
    assert loaded_ids(app) == [healthy]


def test_blocked_provider_blocks_its_dependents_too(add_module, new_id, make_app):
    missing, planning = new_id("missing"), new_id("planning")
    provider, consumer = new_id("b_provider"), new_id("a_consumer")
    add_module(provider, requires={missing: ">=1"}, **provider_fields(planning))
    add_module(consumer, requires={planning: ">=1,<2"})

    app = make_app([provider, consumer], strict_modules=False)

    assert state_of(app, provider) == (
        "blocked",
        f"vereist capability {missing} >=1, die geen aangezette module levert",
    )
    assert state_of(app, consumer) == (
        "blocked",
        f"vereist capability {planning} >=1,<2, maar de leverancier {provider} is blocked",
    )
    assert loaded_ids(app) == []


def test_failed_provider_is_named_in_the_dependents_reason(add_module, new_id, make_app):
    planning, provider, consumer = new_id("planning"), new_id("provider"), new_id("consumer")
    fields = provider_fields(planning)
    fields["files"]["provider.py"] = "raise RuntimeError('kapot')\n"
    add_module(provider, **fields)
    add_module(consumer, requires={planning: ">=1"})

    app = make_app([provider, consumer], strict_modules=False)

    assert state_of(app, provider)[0] == "failed"
    assert state_of(app, consumer) == (
        "blocked",
        f"vereist capability {planning} >=1, maar de leverancier {provider} is failed",
    )


def test_provider_of_the_wrong_capability_version_blocks_the_dependent(
    add_module, new_id, make_app
):
    planning, provider, consumer = new_id("planning"), new_id("provider"), new_id("consumer")
    add_module(provider, **provider_fields(planning, version="1.4"))
    add_module(consumer, requires={planning: ">=2"})

    app = make_app([provider, consumer], strict_modules=False)

    assert state_of(app, consumer) == (
        "blocked",
        f"vereist capability {planning} >=2, maar module {provider} levert versie 1.4",
    )
    assert loaded_ids(app) == [provider]


def test_two_providers_of_one_capability_are_both_blocked(add_module, new_id, make_app):
    planning = new_id("planning")
    first, second, healthy = new_id("first"), new_id("second"), new_id("healthy")
    add_module(first, **provider_fields(planning))
    add_module(second, **provider_fields(planning))
    add_module(healthy)

    app = make_app([first, second, healthy], strict_modules=False)

    expected = (
        f"capability {planning} wordt door meerdere modules geleverd ({first}, {second}); "
        "zet er één aan"
    )
    assert state_of(app, first) == ("blocked", expected)
    assert state_of(app, second) == ("blocked", expected)
    assert loaded_ids(app) == [healthy]
    assert app.extensions["openregie"].capability(planning) is None


def test_a_single_enabled_provider_is_reachable_as_the_capability(add_module, new_id, make_app):
    planning, provider, consumer = new_id("planning"), new_id("provider"), new_id("consumer")
    add_module(provider, **provider_fields(planning))
    add_module(consumer, requires={planning: ">=1,<2"})

    app = make_app([provider, consumer], strict_modules=False)

    assert loaded_ids(app) == [provider, consumer]
    assert type(app.extensions["openregie"].capability(planning)).__name__ == "Provider"


# -- selection: kill switch, safe mode, not enabled ---------------------------------------------


def test_broken_module_that_is_enabled_is_imported_and_failed(
    add_module, new_id, make_app, tmp_path
):
    """The control for the kill-switch tests: the marker does show an import."""
    module_id, marker = new_id("broken"), tmp_path / "broken-imported"
    package = add_module(module_id, preamble=marker_preamble(marker, then_raise=True))

    app = make_app([module_id], strict_modules=False)

    assert state_of(app, module_id) == (
        "failed",
        "import failed: RuntimeError: must never be imported",
    )
    assert marker.exists()
    assert f"{package}.module" not in sys.modules  # a failed import leaves nothing behind


def test_kill_switch_keeps_module_installed_without_importing_its_code(
    add_module, new_id, make_app, tmp_path
):
    killed, healthy, marker = new_id("killed"), new_id("healthy"), tmp_path / "killed-imported"
    package = add_module(killed, preamble=marker_preamble(marker, then_raise=True))
    add_module(healthy)

    app = make_app([killed, healthy], strict_modules=False, disable_modules=[killed])

    assert state_of(app, killed) == ("installed", "uitgezet met OPENREGIE_DISABLE_MODULES")
    assert not marker.exists()
    assert not any(name.split(".")[0] == package for name in sys.modules)
    assert loaded_ids(app) == [healthy]
    assert app.test_client().get("/health").status_code == 200


def test_kill_switch_lets_strict_mode_start_without_the_broken_module(
    add_module, new_id, make_app, tmp_path
):
    killed, healthy, marker = new_id("killed"), new_id("healthy"), tmp_path / "killed-imported"
    add_module(killed, preamble=marker_preamble(marker, then_raise=True))
    add_module(healthy)

    app = make_app([killed, healthy], disable_modules=[killed])  # strict by default

    assert loaded_ids(app) == [healthy]
    assert not marker.exists()


def test_installed_module_that_is_not_enabled_is_not_imported(
    add_module, new_id, make_app, tmp_path
):
    idle, marker = new_id("idle"), tmp_path / "idle-imported"
    add_module(idle, preamble=marker_preamble(marker))

    app = make_app([], strict_modules=False)
    assert state_of(app, idle) == ("installed", "staat niet in OPENREGIE_MODULES")

    default_app = make_app(None, strict_modules=False)  # no OPENREGIE_MODULES at all
    assert state_of(default_app, idle) == (
        "installed",
        "geïnstalleerd maar niet aangezet (zet hem aan in het beheer of met OPENREGIE_MODULES)",
    )
    assert not marker.exists()


class TestSafeMode:
    """Safe mode: every module stays installed, no module code is imported, core serves."""

    @pytest.fixture
    def markers(self, tmp_path):
        return [tmp_path / "first-imported", tmp_path / "second-imported"]

    @pytest.fixture
    def module_ids(self, add_module, new_id, markers):
        first, second = new_id("first"), new_id("second")
        add_module(first, preamble=marker_preamble(markers[0]))
        add_module(second, preamble=marker_preamble(markers[1], then_raise=True))
        return [first, second]

    @pytest.fixture
    def app(self, make_app, module_ids):
        return make_app([*module_ids, "casemanagement"], safe_mode=True)  # strict by default

    def test_safe_mode_loads_no_module_and_imports_none(self, app, module_ids, markers):
        for module_id in [*module_ids, "casemanagement"]:
            assert state_of(app, module_id) == (
                "installed",
                "veilige modus: alleen de kern draait (OPENREGIE_SAFE_MODE)",
            )
        assert loaded_ids(app) == []
        assert not any(marker.exists() for marker in markers)

    def test_core_still_serves_in_safe_mode(self, app, client, login_as):
        assert client.get("/health").status_code == 200
        login_as("professional")
        page = client.get("/start")
        assert page.status_code == 200
        assert "Casussen" not in page.get_data(as_text=True)


# -- strict mode -------------------------------------------------------------------------------


def test_strict_mode_refuses_to_start_naming_the_module_and_reason(add_module, new_id, make_app):
    broken, healthy = new_id("broken"), new_id("healthy")
    add_module(broken, preamble="raise RuntimeError('kapotte module')\n")
    add_module(healthy)

    with pytest.raises(StartupError) as excinfo:
        make_app([broken, healthy])

    message = str(excinfo.value)
    assert message.startswith("strict mode: refusing to start:")
    assert f"module {broken} is failed: import failed: RuntimeError: kapotte module" in message
    assert healthy not in message


def test_strict_mode_refuses_a_blocked_module_and_an_unknown_configured_id(
    add_module, new_id, make_app
):
    needy, agenda, absent = new_id("needy"), new_id("agenda"), new_id("absent")
    add_module(needy, requires={agenda: ">=1"})

    with pytest.raises(StartupError) as excinfo:
        make_app([needy, absent])

    message = str(excinfo.value)  # for the operator: in English, like the command line
    assert f"module {needy} is blocked: requires capability {agenda} >=1" in message
    assert f"OPENREGIE_MODULES names {absent!r}, which is not installed" in message


def test_strict_mode_starts_when_every_enabled_module_loads(add_module, new_id, make_app):
    module_id = new_id("healthy")
    add_module(module_id)

    app = make_app([module_id])

    assert loaded_ids(app) == [module_id]


# -- load order --------------------------------------------------------------------------------


def test_load_order_is_topological_over_requires_and_optional_with_ties_by_id(
    add_module, new_id, make_app
):
    suffix = new_id("x")  # one suffix keeps the ids' alphabetical order
    x_cap, y_cap, z_cap = f"capx_{suffix}", f"capy_{suffix}", f"capz_{suffix}"
    alpha, beta, zeta = f"alpha_{suffix}", f"beta_{suffix}", f"zeta_{suffix}"
    aardvark, yak = f"aardvark_{suffix}", f"yak_{suffix}"
    # Registered in neither id nor dependency order.
    add_module(zeta, **provider_fields(x_cap))
    add_module(alpha, requires={x_cap: ">=1"})
    add_module(yak, optional={z_cap: ">=1"}, **provider_fields(y_cap))  # z: nobody provides it
    add_module(beta)
    add_module(aardvark, optional={y_cap: ">=1"})

    app = make_app([alpha, beta, zeta, aardvark, yak], strict_modules=False)

    # Kahn: ready {beta, yak, zeta} → beta, yak (frees aardvark) → aardvark, zeta → alpha.
    assert loaded_ids(app) == [beta, yak, aardvark, zeta, alpha]
    assert [r.id for r in app.extensions["openregie"].modules.order] == loaded_ids(app)


def test_dependency_cycle_blocks_the_modules_in_it(add_module, new_id, make_app):
    suffix = new_id("x")
    a_cap, b_cap = f"capa_{suffix}", f"capb_{suffix}"
    first, second, free = f"first_{suffix}", f"second_{suffix}", f"free_{suffix}"
    add_module(first, requires={b_cap: ">=1"}, **provider_fields(a_cap))
    add_module(second, requires={a_cap: ">=1"}, **provider_fields(b_cap))
    add_module(free)

    app = make_app([first, second, free], strict_modules=False)

    expected = ("blocked", f"afhankelijkheden in een kring: {first}, {second}")
    assert state_of(app, first) == expected
    assert state_of(app, second) == expected
    assert loaded_ids(app) == [free]


# -- blocked: clashes --------------------------------------------------------------------------


@pytest.mark.parametrize("nested", [False, True], ids=["same", "nested"])
def test_two_modules_with_clashing_url_prefixes_are_both_blocked(
    add_module, new_id, make_app, nested
):
    first, second, other = new_id("first"), new_id("second"), new_id("other")
    shared = f"/{new_id('samen')}"
    second_prefix = f"{shared}/sub" if nested else shared
    add_module(first, **blueprint_fields(shared))
    add_module(second, **blueprint_fields(second_prefix))
    add_module(other, **blueprint_fields(f"/{other}"))

    app = make_app([first, second, other], strict_modules=False)

    assert state_of(app, first) == (
        "blocked",
        f"URL-voorvoegsel {shared} botst met {second_prefix} van module {second}",
    )
    assert state_of(app, second) == (
        "blocked",
        f"URL-voorvoegsel {second_prefix} botst met {shared} van module {first}",
    )
    assert loaded_ids(app) == [other]
    client = app.test_client()
    assert client.get(f"{shared}/").status_code == 404
    assert client.get(f"/{other}/").status_code == 200


@pytest.mark.parametrize(
    "prefix", ["/admin", "/admin/extra", "/auth", "/static/x", "/api", "/api/v1", "/api/v2/x"]
)
def test_url_prefix_on_or_below_a_core_prefix_is_blocked(add_module, new_id, make_app, prefix):
    module_id = new_id("squatter")
    add_module(module_id, **blueprint_fields(prefix))

    app = make_app([module_id], strict_modules=False)

    assert state_of(app, module_id) == (
        "blocked",
        f"URL-voorvoegsel {prefix} is voorbehouden aan de kern",
    )


def test_url_prefix_below_the_api_root_is_allowed(add_module, new_id, make_app):
    module_id = new_id("api_user")
    add_module(module_id, **blueprint_fields(f"/api/v1/{module_id}"))

    app = make_app([module_id], strict_modules=False)

    assert state_of(app, module_id)[0] == "loaded"
    assert app.test_client().get(f"/api/v1/{module_id}/").status_code == 200


def test_permission_outside_the_modules_namespace_is_blocked(add_module, new_id, make_app):
    greedy, tidy = new_id("greedy"), new_id("tidy")
    add_module(
        greedy,
        permissions=(
            Permission(name=f"{greedy}.own.read", title="Eigen"),
            Permission(name="casemanagement.case.delete", title="Casus verwijderen"),
        ),
    )
    add_module(tidy, permissions=(Permission(name=f"{tidy}.own.read", title="Eigen"),))

    app = make_app([greedy, tidy], strict_modules=False)

    assert state_of(app, greedy) == (
        "blocked",
        f"rechten buiten de eigen naamruimte {greedy}.*: casemanagement.case.delete",
    )
    assert loaded_ids(app) == [tidy]
    permissions = app.extensions["openregie"].permissions
    assert f"{tidy}.own.read" in permissions
    assert f"{greedy}.own.read" not in permissions


MODELS = """\
from sqlalchemy.orm import Mapped

from openregie_sdk.db import Base, UuidPrimaryKey


class Item(UuidPrimaryKey, Base):
    __tablename__ = "TABLE_NAME"

    label: Mapped[str]
"""


def test_mapped_table_outside_the_modules_prefix_is_blocked(add_module, new_id, make_app):
    stray, tidy = new_id("stray"), new_id("tidy")
    stray_table, tidy_table = f"elsewhere_{new_id('item')}", f"{tidy}_item"
    for module_id, table in ((stray, stray_table), (tidy, tidy_table)):
        add_module(
            module_id,
            models=("{pkg}.models",),
            files={"models.py": MODELS.replace("TABLE_NAME", table)},
        )

    app = make_app([stray, tidy], strict_modules=False)

    assert state_of(app, stray) == (
        "blocked",
        f"tabellen buiten het eigen voorvoegsel {stray}_: {stray_table}",
    )
    assert state_of(app, tidy)[0] == "loaded"
    assert app.extensions["openregie"].modules.get(tidy).tables == [tidy_table]


@pytest.mark.parametrize("prefix", ["core", "alembic"])
def test_reserved_table_prefix_is_blocked(add_module, new_id, make_app, prefix):
    module_id = new_id("sneaky")
    add_module(module_id, table_prefix=prefix)

    app = make_app([module_id], strict_modules=False)

    assert state_of(app, module_id) == (
        "blocked",
        f"tabelvoorvoegsel {prefix!r} is voorbehouden aan het platform",
    )


def test_conflicting_module_is_blocked_only_while_the_other_is_enabled(
    add_module, new_id, make_app
):
    picky, rival = new_id("picky"), new_id("rival")
    add_module(picky, conflicts=(rival,))
    add_module(rival)

    app = make_app([picky, rival], strict_modules=False)
    assert state_of(app, picky) == ("blocked", f"botst met de aangezette module {rival}")
    assert loaded_ids(app) == [rival]

    alone = make_app([picky], strict_modules=False)
    assert loaded_ids(alone) == [picky]
