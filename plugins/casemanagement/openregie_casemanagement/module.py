"""The manifest of the case-management module (entry point `openregie.modules: casemanagement`)."""

from openregie_sdk import BlueprintRef, ModuleManifest, NavItem, Permission

MANIFEST = ModuleManifest(
    id="casemanagement",
    title="Casusregie",
    description="Casussen van huishoudens en één gezin, één plan.",
    publisher="OpenRegie",
    sdk=">=1.2,<2",
    provides={"casemanagement": "1.2"},
    # With a consent provider, sharing with professionals outside a case's team follows
    # the residents' consent (access.py); without one nothing changes.
    optional={"consent": ">=1.1,<2"},
    capability_providers={
        "casemanagement": "openregie_casemanagement.provider:CaseManagementProvider"
    },
    models=("openregie_casemanagement.models",),
    hooks=(
        "openregie_casemanagement.hooks",
        "openregie_casemanagement.demo",
        "openregie_casemanagement.metrics",
        "openregie_casemanagement.subject",
    ),
    settings="openregie_casemanagement.settings:CaseManagementSettings",
    migrations="openregie_casemanagement.migrations",
    blueprints=(
        BlueprintRef(target="openregie_casemanagement.web:blueprint", url_prefix="/casussen"),
        BlueprintRef(
            target="openregie_casemanagement.api:blueprint",
            url_prefix="/api/v1/casemanagement",
        ),
    ),
    nav_items=(
        NavItem(
            label="Casussen",
            endpoint="casemanagement.worklist",
            permission="casemanagement.case.read",
            order=20,
        ),
    ),
    permissions=(
        Permission(
            name="casemanagement.case.read",
            title="Casussen inzien",
            description="Casussen van de eigen teams en waarbij men betrokken is.",
            default_roles=("professional", "team_lead"),
        ),
        Permission(
            name="casemanagement.case.write",
            title="Casussen bijwerken",
            description="Casussen aanmaken, plan, contactmomenten, notities en documenten.",
            default_roles=("professional", "team_lead"),
        ),
        Permission(
            name="casemanagement.case.transfer",
            title="Casussen overdragen",
            description="Een casus overdragen aan een ander team of een andere regisseur.",
            default_roles=("team_lead",),
        ),
        Permission(
            name="casemanagement.allocation.write",
            title="Toekenningen vastleggen",
            description="Voorzieningen (Wmo, Jeugdwet) aanvragen en bijhouden.",
            default_roles=("professional", "team_lead"),
        ),
    ),
)
