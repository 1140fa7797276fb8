"""One implementation of every hook spec. Each contributes something naming this module
(so a page shows whose contribution it is), or raises when the test armed its hook:
`ARMED` holds the names of the hooks that raise. `EVENTS` collects the usernames of the
`UserCreated` events received (also by an armed implementation, before it raises)."""

from __future__ import annotations

from markupsafe import Markup
from sqlalchemy import func, select

from openregie_sdk import NavItem, Permission, hookimpl
from openregie_sdk.contributions import (
    AuthenticationRefused,
    DashboardWidget,
    ErasureOutcome,
    MetricDefinition,
    Panel,
    PortalSection,
    ResidentAuthenticator,
    SubjectExportSection,
)
from openregie_sdk.registry import Organisation, Person

from .module import MODULE_ID

ARMED: set[str] = set()
EVENTS: list[str] = []


def _trip(hook: str) -> None:
    if hook in ARMED:
        raise RuntimeError(f"storing in {hook} van {MODULE_ID}")


def visible_name() -> str:
    """The family name of the persons this module's relation makes visible."""
    return f"Zichtbaar-{MODULE_ID}"


@hookimpl
def openregie_permissions():
    _trip("openregie_permissions")
    return [Permission(name=f"{MODULE_ID}.extra", title=f"Extra recht van {MODULE_ID}")]


@hookimpl
def openregie_nav_items(actor):
    _trip("openregie_nav_items")
    return [
        NavItem(
            label=f"Menu van {MODULE_ID}", endpoint="core.dashboard", permission=f"{MODULE_ID}.view"
        )
    ]


@hookimpl
def openregie_dashboard_widgets(actor):
    _trip("openregie_dashboard_widgets")
    return [DashboardWidget(title=f"Widget van {MODULE_ID}", body=Markup("<p>tegel</p>"))]


@hookimpl
def openregie_person_panels(actor, person):
    _trip("openregie_person_panels")
    return [Panel(title=f"Persoonspaneel van {MODULE_ID}", body=Markup("<p>paneel</p>"))]


@hookimpl
def openregie_household_panels(actor, household):
    _trip("openregie_household_panels")
    return [Panel(title=f"Huishoudpaneel van {MODULE_ID}", body=Markup("<p>paneel</p>"))]


@hookimpl
def openregie_authorize(actor, permission, resource):
    _trip("openregie_authorize")
    return None


@hookimpl
def openregie_person_relations(actor):
    _trip("openregie_person_relations")
    return [Person.geslachtsnaam == visible_name()]


@hookimpl
def openregie_user_created(event):
    EVENTS.append(event.username)
    _trip("openregie_user_created")


@hookimpl
def openregie_demo_data(context):
    context.session.add(Organisation(name=f"Demo-organisatie van {MODULE_ID}"))
    context.session.flush()
    _trip("openregie_demo_data")


@hookimpl
def openregie_report_metrics():
    _trip("openregie_report_metrics")
    return [
        MetricDefinition(
            id=f"{MODULE_ID}.personen",
            title=f"Personen volgens {MODULE_ID}",
            unit="personen",
            query=lambda filters: select(func.count(Person.id).label("value")),
        )
    ]


@hookimpl
def openregie_subject_export(person):
    _trip("openregie_subject_export")
    return [
        SubjectExportSection(
            title=f"Gegevens bij {MODULE_ID}", records=[{"person_id": str(person.id)}]
        )
    ]


@hookimpl
def openregie_subject_erasure(person, dry_run):
    """Erases the person's e-mail address, then raises when armed: the erasure is half
    done at that moment, and must be rolled back as a whole."""
    if not dry_run:
        person.email = None
    _trip("openregie_subject_erasure")
    return ErasureOutcome(erased=1)


@hookimpl
def openregie_portal_sections(actor, person):
    _trip("openregie_portal_sections")
    return [
        PortalSection(
            id=f"{MODULE_ID}.sectie", title=f"Onderdeel van {MODULE_ID}", body=Markup("<p>x</p>")
        )
    ]


def _refuse() -> str:
    raise AuthenticationRefused("Deze testinlog werkt niet.")


@hookimpl
def openregie_resident_authenticators():
    _trip("openregie_resident_authenticators")
    return [
        ResidentAuthenticator(
            id=f"{MODULE_ID}_inlog",
            label=f"Inloggen via {MODULE_ID}",
            start=lambda callback_url: _refuse(),
            callback=_refuse,
            test_only=True,
        )
    ]


@hookimpl
def openregie_allocation_panels(actor, allocation):
    _trip("openregie_allocation_panels")
    return [Panel(title=f"Toekenningspaneel van {MODULE_ID}", body=Markup("<p>paneel</p>"))]
