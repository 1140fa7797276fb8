"""The manifest of the Wachttijden module, named by its entry point in `openregie.modules`.

Core reads this file before it imports anything else of the module, so it stays light:
everything that needs imports (hooks, models, views, settings, commands) is an import
string, resolved only when the module is enabled.
"""

from openregie_sdk import BlueprintRef, ModuleManifest, NavItem, Permission


def N_(text: str) -> str:
    """Marks a Dutch text for extraction (`pybabel extract -k N_`); it is translated where
    it is shown (menu, roles page, reports) through this module's catalogue."""
    return text


VIEW = "wachttijden.view"

MANIFEST = ModuleManifest(
    id="wachttijden",
    title="Wachttijden",
    description=(
        "Actuele wachttijden van zorgaanbieders per productcategorie, uit de feed van "
        "Wachttijd BV: bij toekenningen, op een eigen pagina en als rapportagecijfer."
    ),
    publisher="Wachttijd BV",
    sdk=">=1.2,<2",
    models=("wachttijden_openregie.models",),
    hooks=("wachttijden_openregie.hooks",),
    settings="wachttijden_openregie.settings:Settings",
    migrations="wachttijden_openregie.migrations",
    cli="wachttijden_openregie.cli:group",
    permissions=(
        Permission(
            name=VIEW,
            title=N_("Wachttijden van zorgaanbieders bekijken"),
            default_roles=("professional", "team_lead", "policy_officer"),
        ),
    ),
    blueprints=(
        BlueprintRef(target="wachttijden_openregie.views:blueprint", url_prefix="/wachttijden"),
    ),
    nav_items=(
        NavItem(label=N_("Wachttijden"), endpoint="wachttijden.index", permission=VIEW, order=70),
    ),
)
