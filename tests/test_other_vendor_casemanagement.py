"""Another vendor's case management works with our portal and reporting (issue 8).

AnderZorg Regie (`tests/othervendor/anderzorg/`) is a deliberately different, minimal
provider of the `casemanagement` capability: its own tables (`anderzorg_*`, its own Alembic
lineage), its own words and codes, and its own idea of a plan — one flat list of
agreements per trajectory, versions as frozen snapshots. It is installed as a real module
distribution, exactly as a vendor's package would be, and then:

1. it passes the SDK's conformance suite and module contract test;
2. the resident portal, unchanged, shows its data and writes into its tables;
3. reporting, unchanged, renders the report and the XLSX download with core's metrics and
   AnderZorg's own metric, and without OpenRegie's case-management metrics;
4. the platform starts with {anderzorg, consent, portal, reporting}, and refuses to run
   AnderZorg beside OpenRegie's casemanagement module (two providers of one capability),
   naming the capability.
"""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
import io
import re
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from openregie_core.app import StartupError
from openregie_sdk import audit, capability
from openregie_sdk.registry import Household, HouseholdMember, Membership, Person, Team
from openregie_sdk.testing.conformance.casemanagement import (
    CaseManagementConformance,
    Scenario,
    World,
)
from openregie_sdk.testing.contract import ModuleContract
from openregie_sdk.testing.distributions import ModuleDistributions
from openregie_sdk.testing.plugin import create_test_user, csrf_token_in, log_in

HERE = Path(__file__).parent / "othervendor"
SOURCE = HERE / "anderzorg"
MODULES = ["anderzorg", "consent", "portal", "reporting"]
CALLBACK = "http://localhost/mijn/inloggen/mock_digid/terug"


def _load_worlds() -> Any:
    """`othervendor/worlds.py` (test folders are not on sys.path with --import-mode=importlib)."""
    name = "openregie_othervendor_worlds"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, HERE / "worlds.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


worlds = _load_worlds()


@pytest.fixture(scope="session")
def anderzorg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """AnderZorg as an installed distribution (once per session, so each module set's
    migrated database is built once); its `models` and `lijst` modules."""
    distributions = ModuleDistributions(tmp_path_factory.mktemp("anderzorg") / "site")
    files = {
        path.relative_to(SOURCE).as_posix(): path.read_text("utf-8")
        for path in sorted(SOURCE.rglob("*.py"))
        if path.name != "module.py" and "__pycache__" not in path.parts
    }
    package = distributions.add(
        "anderzorg",
        (SOURCE / "module.py").read_text("utf-8"),
        files,
        distribution="anderzorg-regie",
        version="2.3.0",
    )
    vendor = SimpleNamespace(
        package=package,
        models=importlib.import_module(f"{package}.models"),
        lijst=importlib.import_module(f"{package}.lijst"),
    )
    yield vendor
    distributions.cleanup()


@pytest.fixture
def openregie_modules() -> list[str]:
    return MODULES


@pytest.fixture
def app(make_app: Any, anderzorg: Any, openregie_modules: list[str]) -> Any:
    return make_app(openregie_modules)


# -- 1. the conformance suite and the contract ------------------------------------------------
class TestAnderZorgPassesTheConformanceSuite(CaseManagementConformance):
    """The suite every provider runs, on AnderZorg's own tables (AnderZorg alone: the
    smallest database to copy for each of the suite's tests)."""

    modules = ("anderzorg",)

    @pytest.fixture(autouse=True)
    def _vendor(self, anderzorg: Any) -> None:
        """AnderZorg's loaded package, for `build_scenario` (autouse fixtures run first)."""
        self.vendor = anderzorg

    def build_scenario(self, app: Any, db: Any, world: World) -> Scenario:
        vendor = self.vendor
        m = vendor.models
        today = dt.date.today()
        main = worlds.trajectory_with_agreed_list(
            vendor,
            db,
            household_id=world.household_id,
            team_id=world.team_id,
            manager=(world.professional_id, world.professional_name),
            parent=(world.parent_id, world.parent_name),
            child_id=world.child_id,
        )
        closed = m.Traject(
            id=uuid.uuid4(),
            huishouden_id=world.household_id,
            team_id=world.team_id,
            regisseur_id=world.professional_id,
            naam="Eerder traject",
            fase="afgerond",
            begonnen_op=today - dt.timedelta(days=400),
            afgerond_op=today - dt.timedelta(days=200),
        )
        db.add(closed)
        db.flush()
        db.add(m.Deelnemer(traject_id=closed.id, persoon_id=world.parent_id))
        other = worlds.other_trajectory(
            vendor,
            db,
            household_id=world.other_household_id,
            team_id=world.other_team_id,
            manager_id=world.other_professional_id,
            person_id=world.other_person_id,
        )
        db.flush()
        return Scenario(
            case_id=main.id,
            closed_case_id=closed.id,
            other_case_id=other["id"],
            plan_version=1,
            goal_id=main.wish_id,
            resident_action_id=main.my_task_id,
            professional_action_id=main.their_task_id,
            visible_contact_moment_id=main.shared_talk_id,
            hidden_contact_moment_id=main.internal_talk_id,
            shared_document_id=main.shared_document_id,
            shared_document_content=worlds.SHARED_CONTENT,
            unshared_document_id=main.internal_document_id,
            allocation_id=main.provision_id,
            other_goal_id=other["wish_id"],
            other_action_id=other["task_id"],
            other_contact_moment_id=other["talk_id"],
            other_document_id=other["document_id"],
        )

    def test_the_provider_is_anderzorgs(self, provider: Any) -> None:
        assert type(provider).__name__ == "AnderZorgCases"

    def test_an_agreed_version_reads_from_its_snapshot_not_from_the_living_list(
        self, provider: Any, db: Any, world: World, scenario: Scenario
    ) -> None:
        provider.propose_goal(
            scenario.case_id, by_person_id=world.parent_id, life_domain="wonen", text="Verhuizen."
        )
        db.commit()
        living = provider.current_plan(scenario.case_id)
        agreed = provider.plan_version(scenario.case_id, scenario.plan_version)
        assert "Verhuizen." in {g.text for g in living.goals}
        assert "Verhuizen." not in {g.text for g in agreed.goals}


class TestAnderZorgContract(ModuleContract):
    """The module contract: manifest, hooks, prefixes, migrations up/down/up without drift."""

    module_id = "anderzorg"

    @pytest.fixture(autouse=True)
    def _installed(self, anderzorg: Any) -> None:
        """The contract looks the module up among the installed distributions."""


# -- the household the portal and reporting tests use ---------------------------------------
def _person(first: str, last: str, bsn: str, born: dt.date) -> Person:
    return Person(
        id=uuid.uuid4(),
        bsn=bsn,
        voornamen=first,
        geslachtsnaam=last,
        search_name=last.lower(),
        birth_date=born,
    )


@pytest.fixture
def gezin(app: Any, db: Any, anderzorg: Any) -> SimpleNamespace:
    """Anna Jansen (BSN 111222333) and her son Tim, with an AnderZorg trajectory directed
    by Mira Regie; Karel Pietersen in another household with a trajectory of his own."""
    since = dt.date(2010, 1, 1)
    manager = create_test_user(app, "professional", roles=[], display_name="Mira Regie")
    team = Team(id=uuid.uuid4(), name="Team Noord", kind="integral")
    parent = _person("Anna", "Jansen", "111222333", dt.date(1985, 3, 1))
    child = _person("Tim", "Jansen", "123456782", dt.date(2014, 6, 1))
    stranger = _person("Karel", "Pietersen", "111111110", dt.date(1970, 1, 1))
    home = Household(id=uuid.uuid4(), name="Gezin Jansen")
    other = Household(id=uuid.uuid4(), name="Huishouden Pietersen")
    db.add_all([team, parent, child, stranger, home, other])
    db.flush()
    db.add_all(
        [
            HouseholdMember(
                household_id=home.id, person_id=parent.id, role="parent", start_on=since
            ),
            HouseholdMember(household_id=home.id, person_id=child.id, role="child", start_on=since),
            HouseholdMember(
                household_id=other.id, person_id=stranger.id, role="other", start_on=since
            ),
            Membership(user_id=manager.id, team_id=team.id, role="professional", start_on=since),
        ]
    )
    traject = worlds.trajectory_with_agreed_list(
        anderzorg,
        db,
        household_id=home.id,
        team_id=team.id,
        manager=(manager.id, "Mira Regie"),
        parent=(parent.id, "Anna Jansen"),
        child_id=child.id,
    )
    theirs = worlds.other_trajectory(
        anderzorg,
        db,
        household_id=other.id,
        team_id=team.id,
        manager_id=manager.id,
        person_id=stranger.id,
    )
    db.commit()
    return SimpleNamespace(parent_id=parent.id, traject=traject, other_id=theirs["id"])


def _resident(client: Any, bsn: str) -> Any:
    """Log `client` in as the resident with `bsn` through the mock DigiD."""
    page = client.get("/mijn/inloggen").get_data(as_text=True)
    started = client.post("/mijn/inloggen/mock_digid", data={"csrf_token": csrf_token_in(page)})
    assert started.status_code == 303
    form = client.get(started.headers["Location"]).get_data(as_text=True)
    sent = client.post(
        "/mijn/testinlog",
        data={"csrf_token": csrf_token_in(form), "bsn": bsn, "callback": CALLBACK},
    )
    assert sent.status_code == 303, sent.get_data(as_text=True)
    landed = client.get(sent.headers["Location"])
    assert landed.status_code == 303 and landed.headers["Location"].endswith("/mijn/")
    return client


def _page(client: Any, url: str) -> str:
    answer = client.get(url)
    assert answer.status_code == 200, (url, answer.status_code)
    return answer.get_data(as_text=True)


# -- 2. the portal, unchanged -----------------------------------------------------------------
def test_the_portal_shows_anderzorgs_trajectory_list_conversations_and_documents(
    client: Any, gezin: SimpleNamespace
) -> None:
    resident = _resident(client, "111222333")
    case = f"/mijn/casus/{gezin.traject.id}"

    overview = _page(resident, "/mijn/")
    assert "Mira Regie" in overview
    assert worlds.WISH in overview and worlds.MY_TASK in overview
    assert worlds.THEIR_TASK not in overview  # the case manager's task needs no attention

    plan = _page(resident, f"{case}/plan")
    assert worlds.WISH in plan and worlds.MY_TASK in plan and worlds.THEIR_TASK in plan
    assert "Geld en schulden" in plan  # AnderZorg's own theme, as its life domain
    assert f"{case}/plan/versies/1" in plan
    assert "Versie 1 van het plan" in _page(resident, f"{case}/plan/versies/1")

    contact = _page(resident, f"{case}/contact")
    assert worlds.SHARED_TALK in contact and worlds.INTERNAL_TALK not in contact

    documents = _page(resident, f"{case}/documenten")
    assert "plan.pdf" in documents and "intern-verslag.pdf" not in documents
    download = resident.get(f"{case}/documenten/{gezin.traject.shared_document_id}")
    assert download.status_code == 200 and download.data == worlds.SHARED_CONTENT
    internal = resident.get(f"{case}/documenten/{gezin.traject.internal_document_id}")
    assert internal.status_code == 404
    assert resident.get(f"/mijn/casus/{gezin.other_id}/plan").status_code == 404


def test_the_portals_action_update_and_goal_proposal_land_in_anderzorgs_list(
    app: Any, client: Any, db: Any, anderzorg: Any, gezin: SimpleNamespace
) -> None:
    resident = _resident(client, "111222333")
    case = f"/mijn/casus/{gezin.traject.id}"
    token = csrf_token_in(_page(resident, f"{case}/plan"))
    updated = resident.post(
        f"{case}/acties/{gezin.traject.my_task_id}",
        data={"csrf_token": token, "version": 1, "status": "done", "comment": "Map ligt klaar."},
    )
    assert updated.status_code == 303, updated.get_data(as_text=True)
    proposed = resident.post(
        f"{case}/doelen",
        data={"csrf_token": token, "life_domain": "wonen", "text": "Een rustiger huis."},
    )
    assert proposed.status_code == 303, proposed.get_data(as_text=True)
    assert "Een rustiger huis." in _page(resident, f"{case}/plan")

    m = anderzorg.models
    db.expire_all()
    task = db.get(m.Afspraak, gezin.traject.my_task_id)
    assert (task.stand, task.opmerking_inwoner, task.versie) == ("klaar", "Map ligt klaar.", 2)
    assert task.gewijzigd_door == "inwoner Anna"
    wish = db.scalars(
        select(m.Afspraak).where(
            m.Afspraak.traject_id == gezin.traject.id, m.Afspraak.volgnummer == 4
        )
    ).one()
    assert (wish.soort, wish.thema, wish.tekst) == ("wens", "wonen", "Een rustiger huis.")
    assert (wish.voorstel_stand, wish.voorstel_van_id) == ("nieuw", gezin.parent_id)
    agreed = db.scalars(
        select(m.Lijstversie).where(m.Lijstversie.traject_id == gezin.traject.id)
    ).one()
    assert "Een rustiger huis." not in str(agreed.inhoud)  # the agreed snapshot is frozen

    stale = resident.post(
        f"{case}/acties/{gezin.traject.my_task_id}",
        data={"csrf_token": token, "version": 1, "status": "open", "comment": "Te laat."},
    )
    assert stale.status_code == 409
    logged = {entry.module for entry in audit.accessed_by(gezin.parent_id)}
    assert "anderzorg" in logged


# -- 3. reporting, unchanged ------------------------------------------------------------------
def test_reporting_renders_core_metrics_and_anderzorgs_own_but_none_of_ours(
    app: Any, gezin: SimpleNamespace
) -> None:
    client = app.test_client()
    log_in(app, client, "policy_officer")
    html = _page(client, "/rapportage/")
    assert 'id="sectie-formation"' in html
    assert "Geregistreerde personen op de einddatum" in html
    assert "Afspraken op de afsprakenlijsten" in html
    assert 'id="sectie-caseload"' not in html and "Nieuwe casussen" not in html

    download = client.get("/rapportage/download.xlsx")
    assert download.status_code == 200
    sheet = load_workbook(io.BytesIO(download.data))["Rapport"]
    ids = {row[1] for row in sheet.iter_rows(values_only=True) if row and row[1]}
    assert {"core.persons", "reporting.formation", "anderzorg.afspraken_per_stand"} <= ids
    assert not {i for i in ids if str(i).startswith("casemanagement.")}


# -- 4. starting the platform -----------------------------------------------------------------
def test_the_platform_starts_with_anderzorg_consent_portal_and_reporting(app: Any) -> None:
    modules = app.extensions["openregie"].modules
    assert sorted(modules.loaded_ids) == sorted(MODULES)
    with app.app_context():
        assert type(capability("casemanagement")).__name__ == "AnderZorgCases"
    assert app.test_client().get("/health").status_code == 200


def test_anderzorg_and_our_casemanagement_are_refused_together_naming_the_capability(
    make_app: Any, anderzorg: Any
) -> None:
    both = ["anderzorg", "casemanagement", "portal", "reporting"]
    with pytest.raises(StartupError) as refused:
        make_app(both, migrate=False)
    message = str(refused.value)
    assert re.search(r"module anderzorg is blocked: .*capability casemanagement", message)
    assert re.search(r"module casemanagement is blocked: .*capability casemanagement", message)

    app = make_app(both, migrate=False, strict_modules=False)
    modules = app.extensions["openregie"].modules
    for module_id in ("anderzorg", "casemanagement"):
        record = modules.get(module_id)
        assert record.state.value == "blocked"
        assert "capability casemanagement" in str(record.reason)
        assert "anderzorg, casemanagement" in str(record.reason)
    assert modules.get("portal").state.value == "blocked"  # its provider is not there
    assert modules.loaded_ids == ["reporting"]
