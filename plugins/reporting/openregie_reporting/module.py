"""The manifest of the reporting module (entry point `openregie.modules: reporting`)."""

from openregie_sdk import ModuleManifest, Permission

MANIFEST = ModuleManifest(
    id="reporting",
    title="Rapportage en verantwoording",
    description="Geaggregeerde cijfers voor de verantwoording aan de gemeente.",
    publisher="OpenRegie",
    sdk=">=1.0,<2",
    # Optional, not required: reporting reports what is there and runs with any other
    # module absent.
    optional={"casemanagement": ">=1.0,<2"},
    models=("openregie_reporting.models",),
    hooks=("openregie_reporting.hooks",),
    settings="openregie_reporting.settings:ReportingSettings",
    migrations="openregie_reporting.migrations",
    cli="openregie_reporting.cli:group",
    permissions=(
        Permission(
            name="reporting.dashboard.view",
            title="Rapportages bekijken",
            default_roles=("policy_officer", "team_lead", "functional_admin"),
        ),
    ),
)
