"""Which modules are installed: entry points in `openregie.modules`, read without importing them."""

from __future__ import annotations

from dataclasses import dataclass

from importlib_metadata import EntryPoint, entry_points

from openregie_sdk.manifest import ENTRY_POINT_GROUP


@dataclass(frozen=True)
class InstalledModule:
    id: str
    distribution: str
    version: str
    entry_point: EntryPoint

    @property
    def package(self) -> str:
        """The top-level package the entry point lives in (the module's own code)."""
        return self.entry_point.module.split(".", 1)[0]


def installed_modules() -> list[InstalledModule]:
    """Every registered module, sorted by id. Reading metadata imports no module code."""
    found = []
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        dist = ep.dist
        found.append(
            InstalledModule(
                id=ep.name,
                distribution=dist.name if dist else "?",
                version=dist.version if dist else "?",
                entry_point=ep,
            )
        )
    return sorted(found, key=lambda m: (m.id, m.distribution))
