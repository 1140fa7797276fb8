"""The panel on allocation pages (hook `openregie_allocation_panels`), seen on the demo
region of OpenRegie with its case management: the provider's current waiting time for the
allocation's category, a warning when it is stale, a plain message when none is known."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from click.testing import CliRunner
from openregie_sdk import capability
from openregie_sdk.registry import Membership, Person, Team
from openregie_sdk.testing.plugin import log_in, seed_demo
from sqlalchemy import delete, select

from wachttijden_openregie.cli import group
from wachttijden_openregie.models import WaitingTime

HEADER = "aanbieder;agb_code;productcategorie;wachttijd_weken;gemeten_op"


def _days_ago(days: int) -> str:
    return (dt.date.today() - dt.timedelta(days=days)).isoformat()


def _waiting_allocation(app: Any) -> tuple[Any, list[Any]]:
    """An allocation of the demo whose care has not started, and the cases of its person."""
    with app.app_context():
        provider = capability("casemanagement")
        session = app.extensions["openregie"].session()
        for person_id in session.scalars(select(Person.id).order_by(Person.id)):
            for allocation in provider.allocations_of_person(person_id):
                if allocation.status in ("requested", "allocated") and allocation.provider_agb:
                    return allocation, [c.id for c in provider.cases_of_person(person_id)]
    raise AssertionError("the demo has no allocation waiting for care")


def _member_of_every_team(app: Any, client: Any) -> None:
    user = log_in(app, client, "professional", display_name="Wil Wachter")
    with app.app_context():
        session = app.extensions["openregie"].session()
        session.add_all(
            Membership(
                user_id=user.id, team_id=team, role="professional", start_on=dt.date(2020, 1, 1)
            )
            for team in session.scalars(select(Team.id))
        )
        session.commit()


def _import(app: Any, path: Any) -> None:
    with app.app_context():
        result = CliRunner().invoke(group, ["import", str(path)])
    assert result.exit_code == 0, result.output


def _allocation_pages(client: Any, case_ids: list[Any], provider_name: str) -> str:
    """The allocations page of the case holding the allocation (the one naming its provider)."""
    for case_id in case_ids:
        page = client.get(f"/casussen/{case_id}/toekenningen")
        html = page.get_data(as_text=True)
        if page.status_code == 200 and provider_name in html:
            return html
    raise AssertionError("no allocations page shows the allocation")


@pytest.fixture
def demo(make_app: Any, tmp_path: Any) -> Any:
    """`demo(stale_after_days=90, keep_feed=False)`: the demo region with case management
    and this module; without `keep_feed` the waiting times the demo imported are removed,
    so each test imports its own."""

    def build(stale_after_days: int = 90, keep_feed: bool = False) -> Any:
        app = make_app(
            ["casemanagement", "wachttijden"],
            module_config={"wachttijden": {"stale_after_days": stale_after_days}},
        )
        assert seed_demo(app) == []
        if not keep_feed:
            with app.app_context():
                session = app.extensions["openregie"].session()
                session.execute(delete(WaitingTime))
                session.commit()
        return app

    return build


def test_the_allocation_shows_the_providers_current_waiting_time(demo, tmp_path):
    app = demo()
    allocation, cases = _waiting_allocation(app)
    feed = tmp_path / "feed.csv"
    feed.write_text(
        "\n".join(
            [
                HEADER,
                f"{allocation.provider_name};{allocation.provider_agb};"
                f"{allocation.product_category};9;{_days_ago(40)}",
                f"{allocation.provider_name};{allocation.provider_agb};"
                f"{allocation.product_category};7;{_days_ago(5)}",
            ]
        ),
        encoding="utf-8",
    )
    _import(app, feed)
    client = app.test_client()
    _member_of_every_team(app, client)
    html = _allocation_pages(client, cases, allocation.provider_name)
    assert "Actuele wachttijd" in html
    assert f"7 weken bij {allocation.provider_name}" in html  # the latest measurement
    assert "9 weken" not in html
    assert "verouderd" not in html


def test_a_measurement_older_than_the_setting_carries_a_warning(demo, tmp_path):
    app = demo(stale_after_days=30)
    allocation, cases = _waiting_allocation(app)
    feed = tmp_path / "feed.csv"
    feed.write_text(
        f"{HEADER}\n{allocation.provider_name};{allocation.provider_agb};"
        f"{allocation.product_category};3;{_days_ago(31)}\n",
        encoding="utf-8",
    )
    _import(app, feed)
    client = app.test_client()
    _member_of_every_team(app, client)
    html = _allocation_pages(client, cases, allocation.provider_name)
    assert f"3 weken bij {allocation.provider_name}" in html
    assert "Let op: deze meting is verouderd" in html


def test_without_a_measurement_the_panel_says_none_is_known(demo):
    app = demo()
    allocation, cases = _waiting_allocation(app)
    client = app.test_client()
    _member_of_every_team(app, client)
    html = _allocation_pages(client, cases, allocation.provider_name)
    assert (
        f"Voor {allocation.provider_name} is geen wachttijd in deze productcategorie bekend."
        in (html)
    )


def test_the_demo_imports_the_example_feed_with_recent_dates(demo):
    app = demo(keep_feed=True)
    allocation, cases = _waiting_allocation(app)
    client = app.test_client()
    _member_of_every_team(app, client)
    html = _allocation_pages(client, cases, allocation.provider_name)
    assert "Actuele wachttijd" in html
    assert "geen wachttijd in deze productcategorie bekend" not in html
    measured = (dt.date.today() - dt.timedelta(days=14)).strftime("%d-%m-%Y")
    assert f"gemeten op {measured}" in html
