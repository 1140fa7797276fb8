"""The record of one module: where it comes from, its state and why, and what it contributes."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from openregie_core.i18n import JoinedText, LazyText, in_english
from openregie_core.modules.discovery import InstalledModule
from openregie_sdk.manifest import ModuleManifest

# Why a module is in its state: a lazy Dutch message id, translated when shown, so the admin
# page speaks the language of the request although states are computed at startup.
Reason = str | LazyText


def joined(first: Reason, second: Reason) -> LazyText:
    """Two reasons as one, "first; second", each translated when shown."""
    return JoinedText(first, second)


class State(StrEnum):
    INSTALLED = "installed"  # present but not enabled
    ENABLED = "enabled"  # transient, while loading
    LOADED = "loaded"
    INCOMPATIBLE = "incompatible"  # its SDK range excludes the installed SDK
    FAILED = "failed"  # import, manifest, hook, settings or provider error
    BLOCKED = "blocked"  # a clash with another module or a missing capability


@dataclass
class ModuleRecord:
    installed: InstalledModule
    state: State
    reason: Reason
    manifest: ModuleManifest | None = None
    settings: Any = None
    hook_objects: list[Any] = field(default_factory=list)
    providers: dict[str, Any] = field(default_factory=dict)
    blueprints: list[tuple[Any, str]] = field(default_factory=list)
    cli: Any = None
    tables: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.installed.id

    @property
    def enabled(self) -> bool:
        return self.state is not State.INSTALLED

    def mark(self, state: State, reason: Reason) -> None:
        self.state = state
        self.reason = reason

    def as_dict(self) -> dict[str, Any]:
        """The record for `openregie modules` (which speaks English)."""
        m = self.manifest
        return {
            "id": self.id,
            "distribution": self.installed.distribution,
            "version": self.installed.version,
            "state": self.state.value,
            "reason": in_english(self.reason),
            "title": m.title if m else None,
            "publisher": m.publisher if m else None,
            "sdk": m.sdk if m else None,
            "provides": dict(m.provides) if m else {},
            "requires": dict(m.requires) if m else {},
            "optional": dict(m.optional) if m else {},
        }
