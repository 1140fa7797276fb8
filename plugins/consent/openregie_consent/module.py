"""The manifest of the consent module (entry point `openregie.modules: consent`)."""

from openregie_sdk import ModuleManifest, Permission

MANIFEST = ModuleManifest(
    id="consent",
    title="Toestemming",
    description="Vastgelegde toestemming van inwoners om gegevens te delen, per doel en ontvanger.",
    publisher="OpenRegie",
    sdk=">=1.0,<2",
    provides={"consent": "1.0"},
    capability_providers={"consent": "openregie_consent.provider:ConsentProvider"},
    models=("openregie_consent.models",),
    hooks=("openregie_consent.hooks",),
    settings="openregie_consent.settings:ConsentSettings",
    migrations="openregie_consent.migrations",
    permissions=(
        Permission(
            name="consent.record.read",
            title="Toestemmingen inzien",
            default_roles=("professional", "team_lead"),
        ),
        Permission(
            name="consent.record.manage",
            title="Toestemmingen vastleggen en intrekken",
            default_roles=("professional", "team_lead"),
        ),
    ),
)
