"""The manifest of the case-management module (entry point `openregie.modules: casemanagement`)."""

from openregie_sdk import ModuleManifest, Permission

MANIFEST = ModuleManifest(
    id="casemanagement",
    title="Casusregie",
    description="Casussen van huishoudens en één gezin, één plan.",
    publisher="OpenRegie",
    sdk=">=1.0,<2",
    provides={"casemanagement": "1.0"},
    capability_providers={
        "casemanagement": "openregie_casemanagement.provider:CaseManagementProvider"
    },
    models=("openregie_casemanagement.models",),
    hooks=("openregie_casemanagement.hooks",),
    settings="openregie_casemanagement.settings:CaseManagementSettings",
    migrations="openregie_casemanagement.migrations",
    permissions=(
        Permission(
            name="casemanagement.case.read",
            title="Casussen inzien",
            default_roles=("professional", "team_lead"),
        ),
    ),
)
