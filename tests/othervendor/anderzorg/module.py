"""The manifest of AnderZorg Regie (entry point `openregie.modules: anderzorg`).

`{pkg}` is replaced by the generated package name when the test distribution is written.
"""

from openregie_sdk import ModuleManifest

MANIFEST = ModuleManifest(
    id="anderzorg",
    title="AnderZorg Regie",
    description="Trajecten en afsprakenlijsten van huishoudens (een andere leverancier).",
    publisher="AnderZorg Software (denkbeeldig)",
    sdk=">=1.2,<2",
    provides={"casemanagement": "1.1"},
    capability_providers={"casemanagement": "{pkg}.provider:AnderZorgCases"},
    models=("{pkg}.models",),
    hooks=("{pkg}.metrics",),
    settings="{pkg}.settings:Settings",
    migrations="{pkg}.migrations",
)
