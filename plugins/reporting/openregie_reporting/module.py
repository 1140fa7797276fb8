"""The manifest of the reporting module (entry point `openregie.modules: reporting`)."""

from openregie_sdk import BlueprintRef, ModuleManifest, NavItem, Permission

MANIFEST = ModuleManifest(
    id="reporting",
    title="Rapportage en verantwoording",
    description="Geaggregeerde cijfers voor de verantwoording aan de gemeente.",
    publisher="OpenRegie",
    sdk=">=1.2,<2",
    # Optional, not required: reporting reports what is there and runs with any other
    # module absent.
    optional={"casemanagement": ">=1.0,<2"},
    models=("openregie_reporting.models",),
    hooks=("openregie_reporting.hooks",),
    settings="openregie_reporting.settings:ReportingSettings",
    migrations="openregie_reporting.migrations",
    cli="openregie_reporting.cli:group",
    blueprints=(
        BlueprintRef(target="openregie_reporting.web:blueprint", url_prefix="/rapportage"),
    ),
    nav_items=(
        NavItem(
            label="Rapportage",
            endpoint="reporting.report",
            permission="reporting.dashboard.view",
            order=60,
        ),
        NavItem(
            label="Formatienormen",
            endpoint="reporting.norms",
            permission="reporting.norms.manage",
            order=61,
        ),
    ),
    permissions=(
        Permission(
            name="reporting.dashboard.view",
            title="Rapportages bekijken",
            description="Geaggregeerde, onderdrukte cijfers; nooit gegevens van personen.",
            default_roles=("policy_officer", "team_lead", "functional_admin"),
        ),
        Permission(
            name="reporting.norms.manage",
            title="Formatienormen beheren",
            description="De toegezegde uren per week per team en organisatie vastleggen.",
            default_roles=("functional_admin",),
        ),
    ),
)
