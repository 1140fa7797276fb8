"""The manifest of the portal module (entry point `openregie.modules: portal`)."""

from openregie_sdk import ModuleManifest, Permission

MANIFEST = ModuleManifest(
    id="portal",
    title="Mijn Regie (inwonersportaal)",
    description="Inwoners zien hun eigen plan en werken mee aan hun ondersteuning.",
    publisher="OpenRegie",
    sdk=">=1.0,<2",
    requires={"casemanagement": ">=1.0,<2"},
    optional={"consent": ">=1.0,<2"},
    models=("openregie_portal.models",),
    hooks=("openregie_portal.hooks",),
    settings="openregie_portal.settings:PortalSettings",
    migrations="openregie_portal.migrations",
    permissions=(
        Permission(
            name="portal.accounts.view",
            title="Portaalaccounts van inwoners inzien",
            default_roles=("functional_admin", "team_lead"),
        ),
    ),
)
