"""Which installed modules are enabled, and why: configuration, admin choices, kill switch."""

from __future__ import annotations

from dataclasses import dataclass, field

from openregie_core.config import FIRST_PARTY_MODULES


@dataclass(frozen=True)
class Selection:
    """The inputs that decide whether a module is enabled. The kill switch and safe mode win
    over everything; an explicit `OPENREGIE_MODULES` list wins over the admin table; without
    either, the first-party modules are enabled and third-party ones are not."""

    configured: tuple[str, ...] | None = None
    admin_choices: dict[str, bool] = field(default_factory=dict)
    killed: frozenset[str] = frozenset()
    safe_mode: bool = False

    def decide(self, module_id: str) -> tuple[bool, str]:
        if self.safe_mode:
            return False, "safe mode: only core runs (OPENREGIE_SAFE_MODE)"
        if module_id in self.killed:
            return False, "switched off by OPENREGIE_DISABLE_MODULES"
        if self.configured is not None:
            if module_id in self.configured:
                return True, "enabled by OPENREGIE_MODULES"
            return False, "not listed in OPENREGIE_MODULES"
        if module_id in self.admin_choices:
            if self.admin_choices[module_id]:
                return True, "enabled by the functional admin"
            return False, "disabled by the functional admin"
        if module_id in FIRST_PARTY_MODULES:
            return True, "enabled by default (first-party module)"
        return False, "installed but not enabled (enable it in the admin or with OPENREGIE_MODULES)"

    @property
    def managed_by_configuration(self) -> bool:
        return self.configured is not None
