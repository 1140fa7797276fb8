"""The manifest of the portal module (entry point `openregie.modules: portal`)."""

from openregie_sdk import BlueprintRef, ModuleManifest, NavItem, Permission

MANIFEST = ModuleManifest(
    id="portal",
    title="Mijn Regie (inwonersportaal)",
    description="Inwoners zien hun eigen plan en werken mee aan hun ondersteuning.",
    publisher="OpenRegie",
    sdk=">=1.2,<2",
    requires={"casemanagement": ">=1.1,<2"},
    optional={"consent": ">=1.0,<2"},
    models=("openregie_portal.models",),
    hooks=("openregie_portal.hooks", "openregie_portal.auth.hooks"),
    settings="openregie_portal.settings:PortalSettings",
    migrations="openregie_portal.migrations",
    blueprints=(BlueprintRef(target="openregie_portal.web:blueprint", url_prefix="/mijn"),),
    nav_items=(
        NavItem(
            label="Correctievoorstellen",
            endpoint="portal.review",
            permission="portal.corrections.review",
            order=60,
        ),
    ),
    permissions=(
        Permission(
            name="portal.accounts.view",
            title="Portaalaccounts van inwoners inzien",
            default_roles=("functional_admin", "team_lead"),
        ),
        Permission(
            name="portal.corrections.review",
            title="Correctievoorstellen van inwoners afhandelen",
            description="Voorstellen over gegevens van inwoners die de medewerker mag zien.",
            default_roles=("functional_admin", "team_lead", "professional"),
        ),
        Permission(
            name="portal.use",
            title="Mijn Regie gebruiken (inwoner)",
            description="Alleen voor ingelogde inwoners; geen medewerkersrol krijgt dit.",
            default_roles=("resident",),
        ),
    ),
)
