"""Which installed modules are enabled, and why: configuration, admin choices, kill switch."""

from __future__ import annotations

from dataclasses import dataclass, field

from openregie_core.config import FIRST_PARTY_MODULES
from openregie_core.i18n import LazyText as _l
from openregie_core.modules.record import Reason


@dataclass(frozen=True)
class Selection:
    """The inputs that decide whether a module is enabled. The kill switch and safe mode win
    over everything; an explicit `OPENREGIE_MODULES` list wins over the admin table; without
    either, the first-party modules are enabled and third-party ones are not."""

    configured: tuple[str, ...] | None = None
    admin_choices: dict[str, bool] = field(default_factory=dict)
    killed: frozenset[str] = frozenset()
    safe_mode: bool = False

    def decide(self, module_id: str) -> tuple[bool, Reason]:
        if self.safe_mode:
            return False, _l("veilige modus: alleen de kern draait (OPENREGIE_SAFE_MODE)")
        if module_id in self.killed:
            return False, _l("uitgezet met OPENREGIE_DISABLE_MODULES")
        if self.configured is not None:
            if module_id in self.configured:
                return True, _l("aangezet met OPENREGIE_MODULES")
            return False, _l("staat niet in OPENREGIE_MODULES")
        if module_id in self.admin_choices:
            if self.admin_choices[module_id]:
                return True, _l("aangezet door de functioneel beheerder")
            return False, _l("uitgezet door de functioneel beheerder")
        if module_id in FIRST_PARTY_MODULES:
            return True, _l("standaard aan (module van OpenRegie zelf)")
        return False, _l(
            "geïnstalleerd maar niet aangezet (zet hem aan in het beheer of met OPENREGIE_MODULES)"
        )

    @property
    def managed_by_configuration(self) -> bool:
        return self.configured is not None
