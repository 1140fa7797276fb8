"""The manifest of the consent module (entry point `openregie.modules: consent`)."""

from openregie_sdk import BlueprintRef, ModuleManifest, NavItem, Permission

MANIFEST = ModuleManifest(
    id="consent",
    title="Toestemming",
    description="Vastgelegde toestemming van inwoners om gegevens te delen, per doel en ontvanger.",
    publisher="OpenRegie",
    sdk=">=1.2,<2",
    provides={"consent": "1.2"},
    capability_providers={"consent": "openregie_consent.provider:ConsentProvider"},
    models=("openregie_consent.models",),
    hooks=(
        "openregie_consent.hooks",
        "openregie_consent.demo",
        "openregie_consent.metrics",
        "openregie_consent.subject",
    ),
    settings="openregie_consent.settings:ConsentSettings",
    migrations="openregie_consent.migrations",
    cli="openregie_consent.cli:group",
    blueprints=(
        BlueprintRef(target="openregie_consent.web:blueprint", url_prefix="/toestemming"),
        BlueprintRef(target="openregie_consent.api:blueprint", url_prefix="/api/v1/consent"),
    ),
    nav_items=(
        NavItem(
            label="Doorbrekingen",
            endpoint="consent.review_overrides",
            permission="consent.override.review",
            order=60,
        ),
    ),
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
        Permission(
            name="consent.override",
            title="Toestemming doorbreken",
            description="Zonder toestemming inzage krijgen (bijv. voor de veiligheid van een "
            "kind), met een verplichte reden, voor beperkte tijd; de teamleider beoordeelt dit.",
            default_roles=("professional", "team_lead"),
        ),
        Permission(
            name="consent.override.review",
            title="Doorbrekingen beoordelen",
            default_roles=("team_lead",),
        ),
        Permission(
            name="consent.own.manage",
            title="Eigen toestemmingen geven en intrekken (inwoner)",
            description="Voor inwoners in het portaal; geen medewerkersrol krijgt dit standaard.",
            default_roles=("resident",),
        ),
    ),
)
