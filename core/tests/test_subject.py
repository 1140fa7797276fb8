"""`openregie subject export|erase`: a data subject's rights across core and the modules."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import select, text

from openregie_sdk.registry import Household, HouseholdMember, Person


def _person(db, bsn="111222333"):
    person = Person(
        bsn=bsn,
        voornamen="Sanne",
        geslachtsnaam="Visser",
        search_name="visser",
        birth_date=dt.date(1990, 2, 3),
        phone="0612345678",
    )
    household = Household(name="Gezin Visser")
    db.add_all([person, household])
    db.flush()
    db.add(
        HouseholdMember(
            household_id=household.id,
            person_id=person.id,
            role="parent",
            start_on=dt.date(2020, 1, 1),
        )
    )
    db.commit()
    return person


def test_export_writes_the_persons_data_and_records_the_export(db, cli, tmp_path):
    person = _person(db)
    output = tmp_path / "inzage.json"
    result = cli("subject", "export", "--bsn", "111222333", "--output", str(output))
    assert result.exit_code == 0, result.output
    document = json.loads(output.read_text(encoding="utf-8"))
    assert document["person"]["bsn"] == "111222333"
    assert document["person"]["phone"] == "0612345678"
    assert [h["role"] for h in document["households"]] == ["parent"]
    assert document["incomplete_modules"] == []
    assert (output.stat().st_mode & 0o777) == 0o600
    actions = (
        db.execute(
            text(
                "SELECT action FROM core_audit_record WHERE data_subject_id = :id "
                "AND processing_activity = 'core.subject.export'"
            ),
            {"id": str(person.id)},
        )
        .scalars()
        .all()
    )
    assert actions == ["export"]


def test_a_dry_run_erases_nothing(db, cli):
    person = _person(db)
    result = cli("subject", "erase", "--person", str(person.id), "--dry-run")
    assert result.exit_code == 0, result.output
    db.expire_all()
    assert db.get(Person, person.id) is not None


def test_erasing_a_person_no_module_holds_data_about_removes_them(db, cli):
    person_id = _person(db).id
    result = cli("subject", "erase", "--person", str(person_id), "--yes")
    assert result.exit_code == 0, result.output
    assert "removed from the registry" in result.output
    db.expunge_all()
    assert db.scalar(select(Person.id).where(Person.id == person_id)) is None
    members = db.scalars(select(HouseholdMember).where(HouseholdMember.person_id == person_id))
    assert members.all() == []


def test_naming_the_person_wrongly_is_a_clear_error(cli):
    for args, message in [
        (("--person", "nope"), "is not a UUID"),
        (("--bsn", "123456782"), "no such person"),
        ((), "exactly one of --person or --bsn"),
    ]:
        result = cli("subject", "erase", *args, "--dry-run")
        assert result.exit_code != 0
        assert message in result.output
        assert "Traceback" not in result.output
