"""The one place where every module's state is computed.

installed → enabled → loaded | incompatible | failed | blocked. Per-module checks run in
`loader.py`; this file adds what needs all modules at once — clashes, capabilities and their
cascade, and the load order (a topological sort over capabilities, ties broken by id).
"""

from __future__ import annotations

import heapq
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from packaging.specifiers import SpecifierSet

from openregie_core.i18n import LazyText as _l
from openregie_core.i18n import in_english
from openregie_core.modules import loader
from openregie_core.modules.discovery import InstalledModule
from openregie_core.modules.record import ModuleRecord, Reason, State, joined
from openregie_core.modules.selection import Selection
from openregie_sdk.version import SDK_VERSION

# URL prefixes core owns; a module's prefix may not equal or sit below one of them,
# except below /api/v1 where each module mounts its own API.
CORE_URL_PREFIXES = (
    "/admin",
    "/auth",
    "/login",
    "/logout",
    "/static",
    "/api",
    "/start",
    "/health",
    "/personen",
    "/huishoudens",
    "/teams",
)
API_ROOT = "/api/v1"
RESERVED_TABLE_PREFIXES = ("core", "alembic")


@dataclass
class ModuleSet:
    records: list[ModuleRecord]
    order: list[ModuleRecord]
    problems: list[Reason] = field(default_factory=list)

    def get(self, module_id: str) -> ModuleRecord | None:
        return next((r for r in self.records if r.id == module_id), None)

    @property
    def loaded_ids(self) -> list[str]:
        return [r.id for r in self.order]

    def providers(self) -> dict[str, ModuleRecord]:
        return {cap: r for r in self.order for cap in r.manifest.provides}  # type: ignore[union-attr]

    def strict_errors(self) -> list[str]:
        """What strict mode refuses: enabled modules that did not load, and config problems;
        in English, for the operator (a startup error, `openregie db`)."""
        errors = [
            f"module {r.id} is {r.state.value}: {in_english(r.reason)}"
            for r in self.records
            if r.enabled and r.state is not State.LOADED
        ]
        return errors + [in_english(problem) for problem in self.problems]


def resolve(
    installed: Iterable[InstalledModule],
    selection: Selection,
    module_config: dict[str, dict[str, Any]] | None = None,
    sdk_version: str = SDK_VERSION,
) -> ModuleSet:
    installed = list(installed)
    counts = Counter(m.id for m in installed)
    records: list[ModuleRecord] = []
    for module in installed:
        enabled, reason = selection.decide(module.id)
        record = ModuleRecord(module, State.ENABLED if enabled else State.INSTALLED, reason)
        records.append(record)
        if not enabled:
            continue
        if counts[module.id] > 1:
            others = sorted(m.distribution for m in installed if m.id == module.id)
            record.mark(
                State.FAILED,
                _l(
                    "id %(id)s is geregistreerd door %(distributions)s",
                    id=repr(module.id),
                    distributions=", ".join(others),
                ),
            )
            continue
        for step in (
            loader.load_manifest,
            lambda r: loader.check_sdk(r, sdk_version),
            lambda r: loader.load_contributions(r, module_config or {}),
        ):
            step(record)
            if record.state is not State.ENABLED:
                break

    candidates = [r for r in records if r.state is State.ENABLED]
    _block_clashes(candidates)
    _block_unmet_requirements(records)
    order = _load_order([r for r in records if r.state is State.ENABLED])
    for record in order:
        record.state = State.LOADED

    present = {m.id for m in installed}
    problems: list[Reason] = [
        _l("OPENREGIE_MODULES noemt %(id)s, die niet geïnstalleerd is", id=repr(module_id))
        for module_id in selection.configured or ()
        if module_id not in present
    ]
    return ModuleSet(records=records, order=order, problems=problems)


def _block(record: ModuleRecord, reason: Reason) -> None:
    if record.state is State.ENABLED:
        record.mark(State.BLOCKED, reason)
    elif record.state is State.BLOCKED and str(reason) not in str(record.reason):
        record.reason = joined(record.reason, reason)


def _block_clashes(candidates: list[ModuleRecord]) -> None:
    for record in candidates:
        manifest = record.manifest
        assert manifest is not None
        foreign = manifest.foreign_permissions()
        if foreign:
            _block(
                record,
                _l(
                    "rechten buiten de eigen naamruimte %(namespace)s.*: %(names)s",
                    namespace=manifest.id,
                    names=", ".join(foreign),
                ),
            )
        outside = [t for t in record.tables if not t.startswith(manifest.prefix + "_")]
        if outside:
            _block(
                record,
                _l(
                    "tabellen buiten het eigen voorvoegsel %(prefix)s_: %(tables)s",
                    prefix=manifest.prefix,
                    tables=", ".join(outside),
                ),
            )
        if manifest.prefix in RESERVED_TABLE_PREFIXES:
            _block(
                record,
                _l(
                    "tabelvoorvoegsel %(prefix)s is voorbehouden aan het platform",
                    prefix=repr(manifest.prefix),
                ),
            )
        for _, prefix in record.blueprints:
            if _under_core(prefix):
                _block(
                    record,
                    _l("URL-voorvoegsel %(prefix)s is voorbehouden aan de kern", prefix=prefix),
                )

    for a_index, a in enumerate(candidates):
        for b in candidates[a_index + 1 :]:
            pa, pb = a.manifest.prefix + "_", b.manifest.prefix + "_"  # type: ignore[union-attr]
            if pa.startswith(pb) or pb.startswith(pa):
                _block(a, _l("tabelvoorvoegsel overlapt met module %(id)s", id=b.id))
                _block(b, _l("tabelvoorvoegsel overlapt met module %(id)s", id=a.id))
            for _, url_a in a.blueprints:
                for _, url_b in b.blueprints:
                    if _nested(url_a, url_b):
                        _block(a, _clash(url_a, url_b, b.id))
                        _block(b, _clash(url_b, url_a, a.id))

    providers: dict[str, list[ModuleRecord]] = defaultdict(list)
    for record in candidates:
        for capability in record.manifest.provides:  # type: ignore[union-attr]
            providers[capability].append(record)
    for capability, group in providers.items():
        if len(group) > 1:
            names = ", ".join(r.id for r in group)
            for record in group:
                _block(
                    record,
                    _l(
                        "capability %(capability)s wordt door meerdere modules geleverd "
                        "(%(names)s); zet er één aan",
                        capability=capability,
                        names=names,
                    ),
                )

    by_id = {r.id: r for r in candidates}
    for record in candidates:
        for other in record.manifest.conflicts:  # type: ignore[union-attr]
            if other in by_id:
                _block(record, _l("botst met de aangezette module %(id)s", id=other))


def _clash(prefix: str, other: str, module_id: str) -> Reason:
    return _l(
        "URL-voorvoegsel %(prefix)s botst met %(other)s van module %(id)s",
        prefix=prefix,
        other=other,
        id=module_id,
    )


def _under_core(prefix: str) -> bool:
    if prefix == API_ROOT or prefix.startswith(API_ROOT + "/"):
        return prefix == API_ROOT
    return prefix == "/" or any(_nested(prefix, core) for core in CORE_URL_PREFIXES)


def _nested(a: str, b: str) -> bool:
    return a == b or a.startswith(b + "/") or b.startswith(a + "/")


def _block_unmet_requirements(records: list[ModuleRecord]) -> None:
    """Block modules whose required capability is missing, repeating until nothing changes
    so that dependents of a blocked provider are blocked too (the cascade)."""
    changed = True
    while changed:
        changed = False
        live = {
            cap: r
            for r in records
            if r.state is State.ENABLED
            for cap in r.manifest.provides  # type: ignore[union-attr]
        }
        dead = {
            cap: r
            for r in records
            if r.manifest is not None and r.enabled and r.state is not State.ENABLED
            for cap in r.manifest.provides
        }
        for record in records:
            if record.state is not State.ENABLED:
                continue
            for capability, spec in record.manifest.requires.items():  # type: ignore[union-attr]
                reason = _unmet(capability, spec, live, dead)
                if reason:
                    record.mark(State.BLOCKED, reason)
                    changed = True
                    break


def _unmet(
    capability: str,
    spec: str,
    live: dict[str, ModuleRecord],
    dead: dict[str, ModuleRecord],
) -> Reason | None:
    provider = live.get(capability)
    if provider is not None:
        version = provider.manifest.provides[capability]  # type: ignore[union-attr]
        if SpecifierSet(spec).contains(version, prereleases=True):
            return None
        return _l(
            "vereist capability %(capability)s %(spec)s, maar module %(id)s levert versie "
            "%(version)s",
            capability=capability,
            spec=spec,
            id=provider.id,
            version=version,
        )
    if capability in dead:
        other = dead[capability]
        return _l(
            "vereist capability %(capability)s %(spec)s, maar de leverancier %(id)s is %(state)s",
            capability=capability,
            spec=spec,
            id=other.id,
            state=other.state.value,
        )
    return _l(
        "vereist capability %(capability)s %(spec)s, die geen aangezette module levert",
        capability=capability,
        spec=spec,
    )


def _load_order(candidates: list[ModuleRecord]) -> list[ModuleRecord]:
    """Kahn's algorithm over provider → dependent edges, ties by id; cycles are blocked."""
    provider_of = {cap: r.id for r in candidates for cap in r.manifest.provides}  # type: ignore[union-attr]
    by_id = {r.id: r for r in candidates}
    dependents: dict[str, set[str]] = defaultdict(set)
    indegree = dict.fromkeys(by_id, 0)
    for record in candidates:
        manifest = record.manifest
        assert manifest is not None
        needs = {
            provider_of[c] for c in [*manifest.requires, *manifest.optional] if c in provider_of
        }
        needs.discard(record.id)
        for provider in needs:
            dependents[provider].add(record.id)
            indegree[record.id] += 1
    ready = [module_id for module_id, degree in indegree.items() if degree == 0]
    heapq.heapify(ready)
    order: list[ModuleRecord] = []
    while ready:
        module_id = heapq.heappop(ready)
        order.append(by_id[module_id])
        for dependent in sorted(dependents[module_id]):
            indegree[dependent] -= 1
            if indegree[dependent] == 0:
                heapq.heappush(ready, dependent)
    cyclic = sorted(set(by_id) - {r.id for r in order})
    for module_id in cyclic:
        by_id[module_id].mark(
            State.BLOCKED, _l("afhankelijkheden in een kring: %(ids)s", ids=", ".join(cyclic))
        )
    return order
