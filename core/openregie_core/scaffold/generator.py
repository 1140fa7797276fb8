"""Checks the name of a new module and renders its package from the templates in `files/`.

Every check runs, and every file is rendered in memory, before anything touches the disk;
the package is then written into a temporary folder beside the target and renamed into
place, so a refused or failed run leaves nothing behind.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import io
import json
import keyword
import re
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from jinja2 import Environment, StrictUndefined

from openregie_sdk.manifest import ENTRY_POINT_GROUP, MODULE_ID_PATTERN, RESERVED_IDS

FILES = Path(__file__).resolve().parent / "files"
TEMPLATE_SUFFIX = ".jinja"
SDK_RANGE = ">=1.2,<2"
MAX_ID_LENGTH = 40  # the manifest's limit; keeps table and constraint names within 63
MAX_TEXT_LENGTH = 80  # the manifest's limit for `title` and `publisher`
CATALOGUE = "translations/en/LC_MESSAGES/messages"


class ScaffoldError(ValueError):
    """The module cannot be generated; the message says why. Nothing was written."""


@dataclass(frozen=True)
class ScaffoldPlan:
    """A rendered module package: relative path -> content, and where it goes."""

    module_id: str
    package: str
    distribution: str
    target: Path
    files: dict[PurePosixPath, bytes]


def installed_module_ids() -> set[str]:
    """Ids of the modules installed now (entry-point names; no module code is imported)."""
    from importlib_metadata import entry_points

    return {ep.name for ep in entry_points(group=ENTRY_POINT_GROUP)}


def _check_name(name: str) -> None:
    if not re.fullmatch(MODULE_ID_PATTERN, name):
        raise ScaffoldError(
            f"{name!r} is not a valid module id: use a lower-case letter followed by "
            "lower-case letters, digits and underscores ([a-z][a-z0-9_]*)"
        )
    if len(name) > MAX_ID_LENGTH:
        raise ScaffoldError(f"the module id {name!r} is longer than {MAX_ID_LENGTH} characters")
    if name in RESERVED_IDS:
        reserved = ", ".join(sorted(RESERVED_IDS))
        raise ScaffoldError(f"the module id {name!r} is reserved for the platform ({reserved})")
    from openregie_core.modules.states import CORE_URL_PREFIXES, RESERVED_TABLE_PREFIXES

    if name in RESERVED_TABLE_PREFIXES or name.startswith("core_"):
        # Core's tables and blueprints are named core_...; a module's would mix with them.
        raise ScaffoldError(f"the module id {name!r} is reserved for the platform's tables")
    if f"/{name}" in CORE_URL_PREFIXES:
        raise ScaffoldError(
            f"the module id {name!r} would put the module's pages at /{name}, which core uses"
        )
    if name in installed_module_ids():
        raise ScaffoldError(f"a module with the id {name!r} is already installed")


def _check_package(package: str) -> None:
    if not re.fullmatch(MODULE_ID_PATTERN, package) or keyword.iskeyword(package):
        raise ScaffoldError(
            f"{package!r} is not a valid package name: use [a-z][a-z0-9_]* (not a keyword)"
        )
    if importlib.util.find_spec(package) is not None:
        raise ScaffoldError(f"a package named {package!r} is already importable here")


def _check_text(option: str, value: str) -> str:
    value = value.strip()
    if not value or len(value) > MAX_TEXT_LENGTH:
        raise ScaffoldError(f"{option} must be 1 to {MAX_TEXT_LENGTH} characters long")
    if any(ord(character) < 32 for character in value):
        raise ScaffoldError(f"{option} may not contain control characters")
    return value


def _string_literal(value: object) -> str:
    """`value` as a string literal valid in Python and TOML, quoted as ruff formats it:
    double quotes (JSON escapes are valid in both), single ones around a text with double
    quotes in it and nothing to escape."""
    text = str(value)
    if '"' in text and "'" not in text and "\\" not in text:
        return f"'{text}'"
    return json.dumps(text, ensure_ascii=False)


def _environment() -> Environment:
    """Jinja with square-bracket delimiters: the generated Jinja templates (`{{ }}`,
    `{% %}`) pass through untouched."""
    environment = Environment(  # noqa: S701 - renders source code, not HTML
        variable_start_string="[[",
        variable_end_string="]]",
        block_start_string="[%",
        block_end_string="%]",
        comment_start_string="[#",
        comment_end_string="#]",
        keep_trailing_newline=True,
        undefined=StrictUndefined,
    )
    environment.filters["quoted"] = _string_literal
    environment.filters["po"] = lambda value: json.dumps(str(value), ensure_ascii=False)[1:-1]
    return environment


def _compile_catalogue(po_source: bytes) -> bytes:
    """The compiled `.mo` of the generated `.po`, so the English UI works before the author
    ever runs `pybabel compile`."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    compiled = io.BytesIO()
    write_mo(compiled, read_po(io.BytesIO(po_source), locale="en"))
    return compiled.getvalue()


def plan(
    name: str,
    target: Path | None = None,
    *,
    publisher: str = "Onbekend",
    title: str | None = None,
    package: str | None = None,
) -> ScaffoldPlan:
    """Check everything and render the package of module `name` (nothing is written).
    Raises `ScaffoldError` naming what is wrong."""
    _check_name(name)
    package = package or f"openregie_{name}"
    _check_package(package)
    publisher = _check_text("--publisher", publisher)
    title = _check_text("--title", title or name.replace("_", " ").capitalize())
    target = Path(target if target is not None else name).expanduser().absolute()
    if target.exists():
        raise ScaffoldError(f"{target} already exists; choose another --path")
    context = {
        "module_id": name,
        "package": package,
        "distribution": package.replace("_", "-"),
        "title": title,
        "publisher": publisher,
        "sdk_range": SDK_RANGE,
        "today": dt.date.today().isoformat(),
    }
    sources = sorted(FILES.rglob(f"*{TEMPLATE_SUFFIX}"))
    if not sources:
        raise ScaffoldError(f"the scaffold's file templates are missing from {FILES}")
    environment = _environment()
    files: dict[PurePosixPath, bytes] = {}
    for source in sources:
        relative = source.relative_to(FILES).as_posix()[: -len(TEMPLATE_SUFFIX)]
        relative = relative.replace("__package__", package).replace("__id__", name)
        template = environment.from_string(source.read_text(encoding="utf-8"))
        files[PurePosixPath(relative)] = template.render(context).encode("utf-8")
    po = PurePosixPath(f"{package}/{CATALOGUE}.po")
    files[po.with_suffix(".mo")] = _compile_catalogue(files[po])
    return ScaffoldPlan(name, package, str(context["distribution"]), target, files)


def write(scaffold: ScaffoldPlan) -> list[Path]:
    """Write the planned package in one step (into a temporary sibling folder that is then
    renamed to the target); returns the written paths."""
    target = scaffold.target
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.parent / f".{target.name}-{uuid.uuid4().hex[:8]}"
    staging.mkdir()
    try:
        for relative, content in scaffold.files.items():
            path = staging / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
        if target.exists():
            raise ScaffoldError(f"{target} appeared while generating; nothing was written")
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return [target / relative for relative in scaffold.files]
