"""The SDK reference, generated from the code into docs/sdk-reference.md.

    python -m openregie_sdk.reference --write docs/sdk-reference.md   # regenerate it
    python -m openregie_sdk.reference --check docs/sdk-reference.md   # exit 1 if out of date

It holds, from the declarations themselves: every hook specification (its class, the SDK
version that added it, its signature and its contract: when it fires, what it receives and
returns, what happens when it raises), every capability (its version and each protocol
method with its signature, the version that added it and its contract), every field of the
manifest and its parts, and the accessors `openregie_sdk` exports. `problems()` names what
lacks documentation; the SDK's tests fail on any, and when the file is out of date.
"""

from __future__ import annotations

import argparse
import inspect
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel

HEADER = """\
# OpenRegie SDK reference

Generated from the code by `python -m openregie_sdk.reference --write docs/sdk-reference.md`
(`make docs`); a test fails when it is out of date. SDK version {version}. For the rules of
change see [compatibility.md](compatibility.md); for a guided start see
[first-module.md](first-module.md) and [modules.md](modules.md).
"""

# What every hook's docstring must say (whitespace is normalised before checking).
HOOK_CONTRACT = ("Fires:", "Returns", "If it raises")


def _doc(obj: Any) -> str:
    return inspect.cleandoc(obj.__doc__) if getattr(obj, "__doc__", None) else ""


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _annotation(annotation: Any) -> str:
    # Annotations are strings here (`from __future__ import annotations`): shown as written.
    return annotation if isinstance(annotation, str) else inspect.formatannotation(annotation)


def _signature(function: Callable[..., Any], *, drop_self: bool = False) -> str:
    signature = inspect.signature(function)
    parameters = list(signature.parameters.values())[1 if drop_self else 0 :]
    parts, starred = [], False
    for parameter in parameters:
        if parameter.kind is parameter.KEYWORD_ONLY and not starred:
            parts.append("*")
            starred = True
        if parameter.kind is parameter.VAR_POSITIONAL:
            starred = True
        text = parameter.name
        if parameter.kind is parameter.VAR_POSITIONAL:
            text = "*" + text
        elif parameter.kind is parameter.VAR_KEYWORD:
            text = "**" + text
        if parameter.annotation is not parameter.empty:
            text += f": {_annotation(parameter.annotation)}"
        if parameter.default is not parameter.empty:
            text += f" = {parameter.default!r}"
        parts.append(text)
    returns = ""
    if signature.return_annotation is not signature.empty:
        returns = f" -> {_annotation(signature.return_annotation)}"
    return f"{function.__name__}({', '.join(parts)}){returns}"


# -- the declarations ----------------------------------------------------------------------


def hookspecs() -> list[Callable[..., Any]]:
    """The hook specifications, in declaration order."""
    from openregie_sdk import hookspecs as module

    return [
        value
        for name, value in vars(module).items()
        if name.startswith("openregie_") and callable(value)
    ]


def capabilities() -> list[Any]:
    """The capability specs (`openregie_sdk.capabilities.CAPABILITIES`), by name."""
    from openregie_sdk.capabilities import CAPABILITIES

    return [CAPABILITIES[name] for name in sorted(CAPABILITIES)]


def protocol_methods(protocol: type) -> Iterator[tuple[str, Callable[..., Any]]]:
    """The public methods a capability protocol declares, in declaration order."""
    for name, value in vars(protocol).items():
        if not name.startswith("_") and callable(value):
            yield name, value


def manifest_models() -> list[type[BaseModel]]:
    from openregie_sdk import manifest

    return [
        manifest.ModuleManifest,
        manifest.Permission,
        manifest.NavItem,
        manifest.BlueprintRef,
        manifest.ModuleSettings,
    ]


def accessors() -> list[tuple[str, Any]]:
    """What `openregie_sdk` exports, but the manifest models (documented above)."""
    import openregie_sdk

    documented = {model.__name__ for model in manifest_models()}
    return [
        (name, getattr(openregie_sdk, name))
        for name in sorted(openregie_sdk.__all__)
        if name not in documented
    ]


# -- checks ----------------------------------------------------------------------------------


def problems() -> list[str]:
    """What lacks documentation: a hook without its contract, a capability method or a
    manifest field without a docstring, an exported accessor without one."""
    found = []
    for spec in hookspecs():
        doc = _flat(_doc(spec))
        if not getattr(spec, "openregie_kind", None) or not getattr(spec, "openregie_since", None):
            found.append(f"hook {spec.__name__}: not marked with @spec(kind, since)")
        for phrase in HOOK_CONTRACT:
            if phrase not in doc:
                found.append(f"hook {spec.__name__}: its docstring does not say {phrase!r}")
    for capability in capabilities():
        if not _doc(capability.protocol):
            found.append(f"capability {capability.name}: the protocol has no docstring")
        for name, method in protocol_methods(capability.protocol):
            if not _doc(method):
                found.append(f"capability {capability.name}: method {name} has no docstring")
    for model in manifest_models():
        if not _doc(model):
            found.append(f"manifest: {model.__name__} has no docstring")
        for name, field in model.model_fields.items():
            if not field.description:
                found.append(f"manifest: {model.__name__}.{name} has no docstring")
    for name, value in accessors():
        if (callable(value) or inspect.ismodule(value)) and not _doc(value):
            found.append(f"openregie_sdk.{name} has no docstring")
    return found


# -- rendering -------------------------------------------------------------------------------


def _block(text: str) -> str:
    return text.strip() + "\n" if text.strip() else "*(undocumented)*\n"


def _hooks() -> list[str]:
    from openregie_sdk import hookspecs as module

    out = ["## Hooks", "", _block(_doc(module)), ""]
    out += ["| hook | class | since |", "|---|---|---|"]
    specs = hookspecs()
    for spec in specs:
        kind, since = getattr(spec, "openregie_kind", "?"), getattr(spec, "openregie_since", "?")
        out.append(f"| [`{spec.__name__}`](#{spec.__name__}) | {kind} | {since} |")
    out.append("")
    for spec in specs:
        kind, since = getattr(spec, "openregie_kind", "?"), getattr(spec, "openregie_since", "?")
        out += [f"### {spec.__name__}", "", f"*{kind} hook, since SDK {since}*", ""]
        out += ["```python", f"def {_signature(spec)}", "```", "", _block(_doc(spec)), ""]
    return out


def _capabilities() -> list[str]:
    from openregie_sdk import capabilities as module

    out = ["## Capabilities", "", _block(_doc(module)), ""]
    for capability in capabilities():
        protocol = capability.protocol
        out += [f"### `{capability.name}` {capability.version}", "", capability.summary, ""]
        out += [f"Protocol `{protocol.__module__}.{protocol.__name__}`.", ""]
        out += [_block(_doc(protocol)), ""]
        for name, method in protocol_methods(protocol):
            since = capability.since.get(name, "1.0")
            out += [f"#### `{capability.name}.{name}`", "", f"*since {since}*", ""]
            out += ["```python", _signature(method, drop_self=True), "```", ""]
            out += [_block(_doc(method)), ""]
    return out


def _type_name(annotation: Any) -> str:
    text = getattr(annotation, "__name__", None) or repr(annotation)
    text = re.sub(r"typing\.|Annotated\[([^,\]]+),[^\]]*\]", r"\1", str(annotation))
    return text.replace("|", "\\|") if text else "?"


def _manifest() -> list[str]:
    from openregie_sdk import manifest as module

    out = ["## The manifest", "", _block(_doc(module)), ""]
    for model in manifest_models():
        out += [f"### `{model.__name__}`", "", _block(_doc(model)), ""]
        if not model.model_fields:
            continue
        out += ["| field | required | default | meaning |", "|---|---|---|---|"]
        for name, field in model.model_fields.items():
            required = "yes" if field.is_required() else "no"
            default = (
                "" if field.is_required() else f"`{field.get_default(call_default_factory=True)!r}`"
            )
            meaning = _flat(field.description or "*(undocumented)*").replace("|", "\\|")
            out.append(f"| `{name}` | {required} | {default} | {meaning} |")
        out.append("")
    return out


def _accessors() -> list[str]:
    out = ["## What `openregie_sdk` exports", ""]
    for name, value in accessors():
        if inspect.isfunction(value):
            out += [f"### `{_signature(value)}`", ""]
        elif callable(value) or inspect.ismodule(value) or not isinstance(value, str | int):
            out += [f"### `{name}`", ""]  # an object's repr may hold its address
        else:
            out += [f"### `{name} = {value!r}`", ""]
        doc = _doc(value) if (callable(value) or inspect.ismodule(value)) else ""
        out += [_block(doc) if doc else "", ""]
    return out


def render() -> str:
    """The reference as Markdown."""
    from openregie_sdk.version import SDK_VERSION

    lines = [HEADER.format(version=SDK_VERSION)]
    for section in (_hooks, _capabilities, _manifest, _accessors):
        lines += section()
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).rstrip() + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m openregie_sdk.reference")
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--write", type=Path, help="write the reference to this file")
    action.add_argument("--check", type=Path, help="exit 1 if this file is not up to date")
    args = parser.parse_args(argv)
    missing = problems()
    for problem in missing:
        print(f"undocumented: {problem}", file=sys.stderr)
    text = render()
    if args.write:
        args.write.write_text(text, encoding="utf-8")
        print(f"wrote {args.write}")
        return 1 if missing else 0
    current = args.check.read_text(encoding="utf-8") if args.check.exists() else ""
    if current != text:
        print(
            f"{args.check} is out of date: "
            f"run python -m openregie_sdk.reference --write {args.check}"
        )
        return 1
    return 1 if missing else 0


if __name__ == "__main__":
    raise SystemExit(main())
