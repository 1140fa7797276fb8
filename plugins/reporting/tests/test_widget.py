"""The reporting widget: open cases through the casemanagement capability, with small
numbers suppressed, and the formation norms recorded — with or without case management."""

from __future__ import annotations

import random
import uuid
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from openregie_reporting.hooks import openregie_demo_data
from openregie_reporting.models import FormationNorm
from openregie_sdk.contributions import DemoContext

UNAVAILABLE = (
    "Cijfers over casussen zijn niet beschikbaar: er is geen module voor casusregie actief."
)

# A vendor's case management, written as a real distribution: reporting must work with any
# provider of the capability, not only with ours.
VENDOR_MANIFEST = """
from openregie_sdk import ModuleManifest

MANIFEST = ModuleManifest(
    id="vendorcases",
    title="Casusregie van een andere leverancier",
    publisher="Leverancier B.V.",
    sdk=">=1.0,<2",
    provides={"casemanagement": "1.0"},
    capability_providers={"casemanagement": "{pkg}.provider:VendorCases"},
)
"""
VENDOR_PROVIDER = """
class VendorCases:
    def cases_of_household(self, household_id):
        return []

    def open_case_count(self):
        return OPEN_CASES
"""


@pytest.fixture
def open_cases() -> int | None:
    """The vendor provider's open case count; None: no casemanagement provider at all."""
    return None


@pytest.fixture
def reporting_config() -> dict[str, object]:
    return {}


@pytest.fixture
def app(make_app, module_distributions, open_cases, reporting_config):
    config = {"reporting": reporting_config}
    if open_cases is None:
        return make_app(["reporting"], module_config=config)
    module_distributions.add(
        "vendorcases",
        VENDOR_MANIFEST,
        {"provider.py": VENDOR_PROVIDER.replace("OPEN_CASES", str(open_cases))},
    )
    return make_app(["reporting", "vendorcases"], module_config=config)


def _dashboard(client, login_as, kind: str = "policy_officer") -> str:
    login_as(kind)
    page = client.get("/start")
    assert page.status_code == 200
    return page.get_data(as_text=True)


def test_reporting_works_without_casemanagement(app, client, login_as):
    assert app.extensions["openregie"].modules.get("reporting").state.value == "loaded"
    text = _dashboard(client, login_as)
    assert UNAVAILABLE in text
    assert "Open casussen" not in text
    assert "Vastgelegde formatienormen: 0." in text


@pytest.mark.parametrize("open_cases", [1, 4])
def test_reporting_widget_suppresses_small_counts(app, client, login_as, open_cases):
    text = _dashboard(client, login_as)
    assert "Open casussen: minder dan 5." in text
    assert f"Open casussen: {open_cases}." not in text


@pytest.mark.parametrize("open_cases", [0, 5, 1234])
def test_reporting_widget_shows_zero_and_counts_at_the_threshold_or_above(
    app, client, login_as, open_cases
):
    text = _dashboard(client, login_as)
    assert f"Open casussen: {open_cases}." in text
    assert "minder dan" not in text
    assert UNAVAILABLE not in text


@pytest.mark.parametrize("open_cases", [7])
@pytest.mark.parametrize("reporting_config", [{"suppression_threshold": 10}])
def test_suppression_follows_the_configured_threshold(app, client, login_as, open_cases):
    assert "Open casussen: minder dan 10." in _dashboard(client, login_as)


@pytest.mark.parametrize("kind", ["policy_officer", "team_lead", "functional_admin"])
def test_widget_is_shown_to_those_who_account_for_the_work(app, client, login_as, kind):
    text = _dashboard(client, login_as, kind)
    assert "Vastgelegde formatienormen" in text
    assert '<a class="utrecht-link" href="/rapportage/">Naar de rapportage</a>' in text


def test_widget_is_hidden_from_professionals(app, client, login_as):
    text = _dashboard(client, login_as, "professional")
    assert "Verantwoording" not in text
    assert "Vastgelegde formatienormen" not in text


def _norm(team: uuid.UUID, organisation: uuid.UUID, hours: str = "18.00") -> FormationNorm:
    return FormationNorm(
        team_id=team,
        organisation_id=organisation,
        hours_per_week=Decimal(hours),
        set_by="T. Leider",
    )


def test_widget_counts_the_formation_norms_recorded(app, client, login_as, db):
    team = uuid.uuid4()
    db.add_all([_norm(team, uuid.uuid4()), _norm(team, uuid.uuid4(), "9.50")])
    db.commit()
    assert "Vastgelegde formatienormen: 2." in _dashboard(client, login_as)


def test_a_team_has_one_formation_norm_per_organisation(app, db):
    team, organisation = uuid.uuid4(), uuid.uuid4()
    db.add_all([_norm(team, organisation), _norm(team, organisation, "12.00")])
    with pytest.raises(IntegrityError):
        db.commit()
    db.rollback()


def test_hours_per_week_keep_two_decimals(app, db):
    norm = _norm(uuid.uuid4(), uuid.uuid4(), "17.25")
    db.add(norm)
    db.commit()
    db.expire_all()
    assert db.get(FormationNorm, norm.id).hours_per_week == Decimal("17.25")


def test_demo_data_sets_norms_for_real_demo_teams_and_organisations_once(app, db):
    from openregie_sdk.registry import Organisation, Team
    from openregie_sdk.testing.plugin import seed_demo

    assert seed_demo(app) == []
    db.expire_all()
    norms = list(db.scalars(select(FormationNorm)))
    assert len(norms) >= 2
    for norm in norms:
        assert db.get(Team, norm.team_id) is not None
        assert db.get(Organisation, norm.organisation_id) is not None
    openregie_demo_data(
        context=DemoContext(session=db, rng=random.Random(262), progress=lambda message: None)
    )
    db.commit()
    assert db.scalar(select(func.count()).select_from(FormationNorm)) == len(norms)
