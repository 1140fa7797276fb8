"""The consent module's tests run with the consent module alone (the enforcement tests
live with case management). `family`: a parent with parental authority over a child of
8 and a teenager of 14, an organisation and a team; `staff`: a professional who may see
every person (also a functional admin, since without case management no case relates
them to anyone)."""

from __future__ import annotations

import datetime as dt
import uuid
from types import SimpleNamespace
from typing import Any

import pytest

from openregie_sdk.registry import LegalRepresentation, Organisation, Person, Team
from openregie_sdk.testing.plugin import create_test_user


@pytest.fixture
def openregie_modules() -> list[str]:
    return ["consent"]


def born(years: int) -> dt.date:
    today = dt.date.today()
    return dt.date(today.year - years, 1, 1)


@pytest.fixture
def family(app: Any, db: Any) -> SimpleNamespace:
    tag = uuid.uuid4().hex[:6]

    def person(first: str, years: int) -> Person:
        return Person(
            id=uuid.uuid4(),
            voornamen=first,
            geslachtsnaam="de Wit",
            search_name="de wit",
            birth_date=born(years),
        )

    parent, child, teen = person("Anna", 40), person("Tim", 8), person("Lotte", 14)
    organisation = Organisation(id=uuid.uuid4(), name=f"Jeugdzorg {tag}")
    team = Team(id=uuid.uuid4(), name=f"Team West {tag}", kind="integral")
    db.add_all([parent, child, teen, organisation, team])
    db.flush()
    db.add_all(
        [
            LegalRepresentation(
                representative_id=parent.id,
                represented_id=minor.id,
                kind="parental_authority",
                start_on=minor.birth_date,
            )
            for minor in (child, teen)
        ]
    )
    db.commit()
    return SimpleNamespace(
        parent=parent, child=child, teen=teen, organisation=organisation, team=team
    )


@pytest.fixture
def staff(app: Any) -> Any:
    return create_test_user(
        app,
        "professional",
        roles=[("professional", None), ("functional_admin", None)],
        display_name="Rosa Regie",
    )


@pytest.fixture
def act_as_staff(app: Any, client: Any, staff: Any) -> Any:
    """The test client logged in as `staff` (second factor done)."""
    with client.session_transaction() as cookie:
        cookie.clear()
        cookie.permanent = True
        cookie["user_id"] = str(staff.id)
        cookie["session_version"] = staff.session_version
        cookie["seen"] = dt.datetime.now(dt.UTC).timestamp()
    return staff
