"""The SDK reference (docs/sdk-reference.md) is generated from the code: it is up to date,
and every hook, capability method, manifest field and export is documented."""

from __future__ import annotations

from pathlib import Path

from openregie_sdk import reference

DOCS = Path(__file__).resolve().parents[2] / "docs" / "sdk-reference.md"


def test_every_hook_capability_method_manifest_field_and_export_is_documented():
    assert reference.problems() == []


def test_the_reference_in_docs_is_up_to_date():
    assert DOCS.read_text(encoding="utf-8") == reference.render(), (
        "docs/sdk-reference.md is out of date: run make docs"
    )


def test_the_reference_shows_each_hook_with_its_class_version_and_contract():
    text = reference.render()
    for spec in reference.hookspecs():
        kind, since = spec.openregie_kind, spec.openregie_since
        assert f"### {spec.__name__}\n\n*{kind} hook, since SDK {since}*" in text
    assert "def openregie_authorize(actor: Actor, permission: str, resource: object | None)" in text
    assert "| `sdk` | yes |  | PEP 440 specifier" in text


def test_an_undocumented_hook_or_capability_method_is_named(monkeypatch):
    def openregie_silent(actor):
        pass

    openregie_silent.openregie_kind, openregie_silent.openregie_since = "event", "1.2"

    class Protocol:
        """A capability."""

        def undocumented(self) -> None:
            pass

    class Spec:
        name, version, protocol, summary, since = "fake", "1.0", Protocol, "Fake.", {}

    monkeypatch.setattr(reference, "hookspecs", lambda: [openregie_silent])
    monkeypatch.setattr(reference, "capabilities", lambda: [Spec])
    found = reference.problems()
    assert "hook openregie_silent: its docstring does not say 'Fires:'" in found
    assert "hook openregie_silent: its docstring does not say 'If it raises'" in found
    assert "capability fake: method undocumented has no docstring" in found


def test_check_exits_non_zero_when_the_file_is_out_of_date(tmp_path, capsys):
    stale = tmp_path / "reference.md"
    stale.write_text("# old\n", encoding="utf-8")
    assert reference.main(["--check", str(stale)]) == 1
    assert "is out of date" in capsys.readouterr().out
    assert reference.main(["--write", str(stale)]) in (0, 1)
    assert stale.read_text(encoding="utf-8") == reference.render()
