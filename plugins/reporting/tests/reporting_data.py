"""Hand-computed fixture data for the reporting engine's tests (loaded by path: the tests
run with `--import-mode=importlib`, see `load()`).

Zutphen (a fresh CBS code) has area Centrum served by teams Noord and Zuid; Elders is
another municipality with team Ver. Period 2026-Q3 (01-07 .. 30-09), previous 2026-Q2.

cases_opened   Q3: Noord 7, Zuid 2 (Elders 3, left out)        Q2: Noord 5
case_duration  closed in Q3 (Noord): 250 260 270 280 290 340 days -> n 6, median 275,
               p90 315 (h = 5 * 0.9 = 4.5: 290 + 0.5 * 50); closed in Q2: 200, 210 -> n 2
cases_closed   Q3: doelen_bereikt 4, verhuisd 2                 Q2: verhuisd 2
waiting_time   started in Q3: Zorg A/begeleiding waits 1..10 -> n 10, median 5.5, p90 9.1
               (h = 9 * 0.9 = 8.1: 9 + 0.1 * 1); GGZ B/jeugd_ggz wait 3 -> n 1
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import sys
import uuid
from decimal import Decimal
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import insert

from openregie_sdk.db import Base

D = dt.date
MODULES = ["reporting", "casemanagement"]


def load() -> ModuleType:
    name = "openregie_reporting_test_data"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, Path(__file__))
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def seed(db: Any) -> SimpleNamespace:
    # Case management's rows, written through its tables (the app has it loaded), not by
    # importing that module: reporting knows other modules only by the data they keep.
    tables = Base.metadata.tables
    cases, case_persons = tables["casemanagement_case"], tables["casemanagement_case_person"]
    allocations = tables["casemanagement_allocation"]
    from openregie_sdk.registry import Area, Household, Municipality, Person, Team

    tag = uuid.uuid4().hex[:6]
    code = f"GM{uuid.uuid4().int % 10000:04d}"
    zutphen = Municipality(cbs_code=code, name=f"Zutphen {tag}")
    other = Municipality(cbs_code=f"GM{(int(code[2:]) + 1) % 10000:04d}", name=f"Elders {tag}")
    db.add_all([zutphen, other])
    db.flush()
    centrum = Area(municipality_id=zutphen.id, name="Centrum")
    far = Area(municipality_id=other.id, name="Ver weg")
    noord = Team(name=f"Noord {tag}", kind="integral")
    zuid = Team(name=f"Zuid {tag}", kind="integral")
    ver = Team(name=f"Ver {tag}", kind="integral")
    noord.areas.append(centrum)
    zuid.areas.append(centrum)
    ver.areas.append(far)
    person = Person(
        voornamen="Anna",
        geslachtsnaam="Jansen",
        search_name="jansen",
        birth_date=D(1985, 3, 1),
        municipality_id=zutphen.id,
    )
    household = Household(name=f"Gezin Jansen {tag}")
    db.add_all([centrum, far, noord, zuid, ver, person, household])
    db.flush()

    def case(team: Any, opened: dt.date, closed: dt.date | None = None, reason: str | None = None):
        row = SimpleNamespace(id=uuid.uuid4())
        values = dict(
            id=row.id,
            household_id=household.id,
            team_id=team.id,
            title="casus",
            status="afgesloten" if closed else "uitvoering",
            opened_on=opened,
            closed_on=closed,
            closure_reason=reason,
        )
        db.execute(insert(cases), [values])
        db.execute(insert(case_persons), [{"case_id": row.id, "person_id": person.id}])
        return row

    opened = [case(noord, D(2026, 7, 1) + dt.timedelta(days=10 * i)) for i in range(7)]
    opened += [case(zuid, D(2026, 8, 3)), case(zuid, D(2026, 9, 30))]
    for i in range(3):
        case(ver, D(2026, 7, 2 + i))
    for i in range(5):
        case(noord, D(2026, 4, 1) + dt.timedelta(days=20 * i))
    closed_on = D(2026, 8, 1)
    for days, reason in zip(
        (250, 260, 270, 280, 290, 340),
        ("doelen_bereikt",) * 4 + ("verhuisd",) * 2,
        strict=True,
    ):
        case(noord, closed_on - dt.timedelta(days=days), closed_on, reason)
    for days in (200, 210):
        case(noord, D(2026, 5, 1) - dt.timedelta(days=days), D(2026, 5, 1), "verhuisd")

    def allocation(provider: str, category: str, law: str, wait: int) -> None:
        start = D(2026, 7, 15)
        db.execute(
            insert(allocations),
            [
                dict(
                    case_id=opened[0].id,
                    person_id=person.id,
                    law=law,
                    product_category=category,
                    provider_name=provider,
                    volume=Decimal("2"),
                    unit="hour",
                    frequency="week",
                    requested_on=D(2026, 6, 1),
                    decided_on=start - dt.timedelta(days=wait),
                    start_on=start,
                    status="started",
                )
            ],
        )

    for wait in (7, 3, 10, 1, 5, 2, 9, 4, 8, 6):  # unsorted on purpose
        allocation("Zorg A", "begeleiding", "wmo", wait)
    allocation("GGZ B", "jeugd_ggz", "jeugdwet", 3)
    db.commit()
    return SimpleNamespace(
        code=code,
        other_code=other.cbs_code,
        zutphen=zutphen,
        centrum=centrum,
        noord=noord,
        zuid=zuid,
        ver=ver,
    )


@pytest.fixture
def data(app: Any, db: Any) -> SimpleNamespace:
    return seed(db)
