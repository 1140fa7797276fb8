"""The manifest of the fault-injection module (entry point `openregie.modules: <id>`).

`{pkg}` is replaced by the generated package name and `faulty` on the `MODULE_ID` line by
the module id when the test distribution is written.
"""

from openregie_sdk import BlueprintRef, ModuleManifest, Permission

MODULE_ID = "faulty"
STAFF = ("professional", "team_lead", "functional_admin", "policy_officer")

MANIFEST = ModuleManifest(
    id=MODULE_ID,
    title=f"Storingsproef {MODULE_ID}",
    description="Alleen voor tests: implementeert elke hook en faalt op verzoek.",
    publisher="OpenRegie tests",
    sdk=">=1.2,<2",
    hooks=("{pkg}.hooks",),
    permissions=(
        Permission(name=f"{MODULE_ID}.view", title="Storingsproef zien", default_roles=STAFF),
    ),
    blueprints=(BlueprintRef(target="{pkg}.views:blueprint", url_prefix=f"/api/v1/{MODULE_ID}"),),
)
