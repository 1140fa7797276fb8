"""The allocation slot (`openregie_allocation_panels`): other modules' panels appear on a
case's allocations page and on the page of one allocation, each receiving a read-only
summary of that allocation; a module whose hook raises is dropped and the page still works."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest

from openregie_casemanagement.services import allocations as service

# A tiny module of another vendor: its panel repeats what it received, so the test sees
# exactly the summary the slot hands over.
ECHO_HOOKS = """\
from markupsafe import Markup, escape

from openregie_sdk import hookimpl
from openregie_sdk.capabilities.casemanagement import AllocationSummary
from openregie_sdk.contributions import Panel


@hookimpl
def openregie_allocation_panels(actor, allocation):
    assert isinstance(allocation, AllocationSummary)
    text = "|".join(
        str(value)
        for value in (
            allocation.law,
            allocation.product_category,
            allocation.provider_name,
            allocation.provider_agb,
            allocation.status,
            actor.display_name,
        )
    )
    return [Panel(title="Echo-paneel", body=Markup("<p>echo:%s</p>") % escape(text))]
"""

RAISING_HOOKS = """\
from openregie_sdk import hookimpl


@hookimpl
def openregie_allocation_panels(actor, allocation):
    raise RuntimeError("paneel kapot")
"""

MANIFEST = """\
from openregie_sdk import ModuleManifest

MANIFEST = ModuleManifest(
    id="{id}", title="{id}", publisher="Test", sdk=">=1.2,<2", hooks=("{{pkg}}.hooks",)
)
"""


@pytest.fixture
def slot_app(make_app: Any, module_distributions: Any) -> Any:
    """Case management with an echoing and a raising panel module (distinct ids per test)."""
    suffix = uuid.uuid4().hex[:6]
    ids = []
    for name, hooks in (("echo", ECHO_HOOKS), ("broken", RAISING_HOOKS)):
        module_id = f"slot_{name}_{suffix}"
        module_distributions.add(module_id, MANIFEST.format(id=module_id), {"hooks.py": hooks})
        ids.append(module_id)
    return make_app(["casemanagement", *ids])


@pytest.fixture
def app(slot_app: Any) -> Any:
    """The conftest's `world`, `new_case` and `client` are built in `slot_app`."""
    return slot_app


def _allocate(actor_of: Any, db: Any, world: Any, case: Any) -> Any:
    row = service.create_allocation(
        actor_of(world.manager),
        case.id,
        person_id=world.tim.id,
        law="jeugdwet",
        product_category="jeugdhulp_ambulant",
        product_code="45A48",
        provider_name="Stichting Jeugdhulp Oost-Gelderland",
        provider_agb="98100215",
        volume="4",
        unit="hour",
        frequency="week",
        requested_on=dt.date(2026, 1, 5),
    )
    db.commit()
    return row


ECHO = (
    "echo:jeugdwet|jeugdhulp_ambulant|Stichting Jeugdhulp Oost-Gelderland|98100215|requested|"
    "Mira Manager"
)


def test_the_allocations_page_shows_each_allocations_panels_with_its_summary(
    client, db, world, new_case, actor_of, act_as, caplog
):
    case = new_case(status="active")
    _allocate(actor_of, db, world, case)
    act_as(world.manager)
    response = client.get(f"/casussen/{case.id}/toekenningen")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Echo-paneel" in html
    assert ECHO in html
    assert "Tim Jansen: Jeugdhulp ambulant, Stichting Jeugdhulp Oost-Gelderland" in html
    assert any("paneel kapot" in (r.exc_text or "") for r in caplog.records)


def test_the_page_of_one_allocation_shows_its_panels(client, db, world, new_case, actor_of, act_as):
    case = new_case(status="active")
    row = _allocate(actor_of, db, world, case)
    act_as(world.manager)
    response = client.get(f"/casussen/{case.id}/toekenningen/{row.id}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Echo-paneel" in html
    assert ECHO in html


def test_no_panels_reach_an_actor_who_may_not_see_the_case(
    client, db, world, new_case, actor_of, act_as
):
    case = new_case(status="active")
    _allocate(actor_of, db, world, case)
    act_as(world.outsider)
    response = client.get(f"/casussen/{case.id}/toekenningen")
    assert response.status_code in (403, 404)
    assert "Echo-paneel" not in response.get_data(as_text=True)


def test_without_contributing_modules_the_slot_is_empty(make_app):
    plain = make_app(["casemanagement"])
    with plain.app_context():
        from openregie_sdk.capabilities.casemanagement import AllocationSummary
        from openregie_sdk.runtime import allocation_panels

        summary = AllocationSummary(
            id=uuid.uuid4(),
            person_id=uuid.uuid4(),
            law="wmo",
            product_category="begeleiding",
            provider_name="Zorg BV",
            status="requested",
            start_on=None,
            end_on=None,
        )
        assert summary.provider_agb is None
        assert allocation_panels(summary) == []
