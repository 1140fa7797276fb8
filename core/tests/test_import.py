"""`openregie import persons|households`: every row checked first, all or nothing, row
numbers and reasons for each refusal, idempotent on BSN, BOM and separator handling."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

import pytest
from sqlalchemy import func, select

from openregie_core.registry import MunicipalityIn, create_municipality
from openregie_core.registry.importer import import_persons
from openregie_sdk.registry import Household, HouseholdMember, Person

PERSONS = """\
bsn;voornamen;voorvoegsel;geslachtsnaam;birth_date;phone;email;street;house_number;house_number_suffix;postcode;city;municipality
111222333;Emre;;Çelik;1984-03-02;06 12345678;emre@example.org;Houtmarkt;12;A;7201 hk;Zutphen;GM0301
123456782;Jan Willem;van der;Berg;02-03-1979;;;Markt;1;;7241AB;Lochem;gm0262
123456770;Daan;van der;Berg;2015-09-30;;;Markt;1;;7241AB;Lochem;GM0262
"""

HOUSEHOLDS = """\
household,household_name,bsn,role,start_on,end_on
H-1,Gezin Van der Berg,123456782,parent,2014-01-01,
H-1,,123456770,child,2015-09-30,
H-2,Huishouden Çelik,111222333,ouder,01-06-2020,
H-2,,123456770,kind,2021-01-01,
"""


@pytest.fixture
def municipalities(app) -> None:
    with app.extensions["openregie"].session_factory() as session:
        create_municipality(session, MunicipalityIn(cbs_code="GM0301", name="Zutphen"))
        create_municipality(session, MunicipalityIn(cbs_code="GM0262", name="Lochem"))
        session.commit()


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> str:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return str(path)


def persons(app) -> dict[str, Person]:
    with app.extensions["openregie"].session_factory() as session:
        return {p.bsn: p for p in session.scalars(select(Person))}


def count(app, model: type) -> int:
    with app.extensions["openregie"].session_factory() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_a_good_file_is_imported_and_a_second_run_changes_nothing(
    cli, app, municipalities, tmp_path
):
    path = write(tmp_path, "personen.csv", PERSONS)
    first = cli("import", "persons", path)
    assert first.exit_code == 0, first.output
    assert "persons: 3 rows: 3 created, 0 updated, 0 unchanged" in first.stdout
    stored = persons(app)
    emre = stored["111222333"]
    assert (emre.geslachtsnaam, emre.search_name, emre.postcode, emre.phone) == (
        "Çelik",
        "celik",
        "7201HK",
        "0612345678",
    )
    assert (emre.house_number, emre.house_number_suffix, emre.version) == (12, "A", 1)
    assert stored["123456782"].birth_date == dt.date(1979, 3, 2)  # 02-03-1979, Dutch order
    assert stored["123456782"].municipality_id is not None

    second = cli("import", "persons", path)
    assert second.exit_code == 0, second.output
    assert "3 rows: 0 created, 0 updated, 3 unchanged" in second.stdout
    again = persons(app)
    assert {b: (p.version, p.updated_at) for b, p in again.items()} == {
        b: (p.version, p.updated_at) for b, p in stored.items()
    }


def test_a_changed_row_updates_that_person_only(cli, app, municipalities, tmp_path):
    cli("import", "persons", write(tmp_path, "a.csv", PERSONS))
    changed = PERSONS.replace(
        "Emre;;Çelik;1984-03-02;06 12345678", "Emre;;Çelik;1984-03-02;0687654321"
    )
    result = cli("import", "persons", write(tmp_path, "b.csv", changed))
    assert "3 rows: 0 created, 1 updated, 2 unchanged" in result.stdout, result.output
    stored = persons(app)
    assert (stored["111222333"].phone, stored["111222333"].version) == ("0687654321", 2)
    assert stored["123456782"].version == 1


def test_columns_the_file_lacks_are_left_as_they_are(cli, app, municipalities, tmp_path):
    cli("import", "persons", write(tmp_path, "a.csv", PERSONS))
    narrow = "bsn,voornamen,geslachtsnaam\n111222333,Emre Can,Çelik\n"
    result = cli("import", "persons", write(tmp_path, "b.csv", narrow))
    assert "1 rows: 0 created, 1 updated, 0 unchanged" in result.stdout, result.output
    emre = persons(app)["111222333"]
    assert (emre.voornamen, emre.phone, emre.postcode) == ("Emre Can", "0612345678", "7201HK")


def test_a_bad_file_reports_each_row_and_writes_nothing(cli, app, municipalities, tmp_path):
    bad = PERSONS + (
        "123456789;Piet;;Jansen;2090-01-01;;;;;;0123AB;;\n"  # row 5
        "\n"  # row 6: blank, skipped but counted
        "111222333;Kopie;;Çelik;;;;;;;;;\n"  # row 7: the BSN of row 2 again
        ";Zonder;;BSN;;;;;;;;;GM9999\n"  # row 8
        "002455799;Te;;Weinig\n"  # row 9
    )
    result = cli("import", "persons", write(tmp_path, "fout.csv", bad))
    assert result.exit_code != 0
    errors = result.stderr
    for line in [
        "fout.csv: row 5: bsn: fails the 11-proef (check digit)",
        "fout.csv: row 5: birth_date: lies in the future",
        "fout.csv: row 5: postcode: not a Dutch postcode (like 1234 AB)",
        "fout.csv: row 7: bsn: also on row 2",
        "fout.csv: row 8: bsn: is required (persons are matched on it)",
        "fout.csv: row 8: municipality: no municipality GM9999 here",
        "fout.csv: row 9: row: has 4 fields, the header 13",
        "nothing was imported: 7 problem(s) in fout.csv",
    ]:
        assert line in errors, errors
    assert "row 6" not in errors
    assert count(app, Person) == 0  # the good rows 2-4 were not written either


def test_bom_semicolons_dutch_headers_and_commas(cli, app, tmp_path):
    dutch = (
        "\ufeffBSN;Voornamen;Tussenvoegsel;Achternaam;Geboortedatum;Huisnummer;Postcode\n"
        '123456782;"Jan; Willem";van;Dijk;31-12-1970;7;1234 ab\n'
    )
    result = cli("import", "persons", write(tmp_path, "bom.csv", dutch))
    assert result.exit_code == 0, result.output
    jan = persons(app)["123456782"]
    assert (jan.voornamen, jan.voorvoegsel, jan.geslachtsnaam) == ("Jan; Willem", "van", "Dijk")
    assert (jan.birth_date, jan.house_number, jan.postcode) == (dt.date(1970, 12, 31), 7, "1234AB")

    commas = "bsn,voornamen,geslachtsnaam,geboortedatum\n111222333,Emre,Çelik,1984-03-02\n"
    result = cli("import", "persons", write(tmp_path, "komma.csv", commas, "utf-8-sig"))
    assert result.exit_code == 0, result.output
    assert persons(app)["111222333"].birth_date == dt.date(1984, 3, 2)


def test_problems_are_reported_in_the_files_own_column_names(cli, app, tmp_path):
    text = "BSN;Voornamen;Achternaam;Geboortedatum\n123456782;Jan;Dijk;31-02-1970\n"
    result = cli("import", "persons", write(tmp_path, "p.csv", text))
    assert "row 2: Geboortedatum: not a date (write 2024-03-31 or 31-03-2024)" in result.stderr


def test_header_and_encoding_problems(cli, app, tmp_path):
    header = cli("import", "persons", write(tmp_path, "h.csv", "bsn;naam;schoenmaat\n1;2;3\n"))
    assert header.exit_code != 0
    assert "row 1: naam: unknown column" in header.stderr
    assert "row 1: schoenmaat: unknown column" in header.stderr
    assert "row 1: geslachtsnaam: required column is missing" in header.stderr
    latin = cli("import", "persons", write(tmp_path, "l.csv", PERSONS, "latin-1"))
    assert latin.exit_code != 0 and "file: encoding: not UTF-8" in latin.stderr
    assert count(app, Person) == 0


def test_dry_run_checks_but_writes_nothing(cli, app, municipalities, tmp_path):
    result = cli("import", "persons", "--dry-run", write(tmp_path, "p.csv", PERSONS))
    assert result.exit_code == 0, result.output
    assert "3 rows checked, all valid (dry run: nothing written)" in result.stdout
    assert count(app, Person) == 0


def test_progress_is_shown(cli, app, municipalities, tmp_path):
    result = cli("import", "persons", write(tmp_path, "p.csv", PERSONS))
    assert "Checking rows" in result.stderr and "Writing" in result.stderr


def test_the_importer_matches_on_bsn_through_the_python_api(app, db, municipalities):
    first = import_persons(db, PERSONS.encode())
    db.commit()
    second = import_persons(db, PERSONS.encode())
    db.commit()
    assert (first.created, second.unchanged, second.created) == (3, 3, 0)
    assert db.scalar(select(func.count()).select_from(Person)) == 3


# -- households -------------------------------------------------------------------------


def memberships(app) -> set[tuple[str, str, str, dt.date, dt.date | None]]:
    with app.extensions["openregie"].session_factory() as session:
        rows = session.execute(
            select(Household.name, Person.bsn, HouseholdMember.role, HouseholdMember.start_on,
                   HouseholdMember.end_on)
            .join(Household, Household.id == HouseholdMember.household_id)
            .join(Person, Person.id == HouseholdMember.person_id)
        )  # fmt: skip
        return {tuple(row) for row in rows}


def test_households_are_imported_with_a_child_in_two_and_idempotently(
    cli, app, municipalities, tmp_path
):
    cli("import", "persons", write(tmp_path, "p.csv", PERSONS))
    path = write(tmp_path, "h.csv", HOUSEHOLDS)
    first = cli("import", "households", path)
    assert first.exit_code == 0, first.output
    assert "4 rows: 4 created, 0 updated, 0 unchanged (2 new households)" in first.stdout
    assert memberships(app) == {
        ("Gezin Van der Berg", "123456782", "parent", dt.date(2014, 1, 1), None),
        ("Gezin Van der Berg", "123456770", "child", dt.date(2015, 9, 30), None),
        ("Huishouden Çelik", "111222333", "parent", dt.date(2020, 6, 1), None),
        ("Huishouden Çelik", "123456770", "child", dt.date(2021, 1, 1), None),
    }
    second = cli("import", "households", path)
    assert "4 rows: 0 created, 0 updated, 4 unchanged (0 new households)" in second.stdout
    ended = HOUSEHOLDS.replace(
        "H-2,,123456770,kind,2021-01-01,", "H-2,,123456770,kind,2021-01-01,2023-07-01"
    )
    third = cli("import", "households", write(tmp_path, "h2.csv", ended))
    assert "4 rows: 0 created, 1 updated, 3 unchanged" in third.stdout, third.output
    assert ("Huishouden Çelik", "123456770", "child", dt.date(2021, 1, 1), dt.date(2023, 7, 1)) in (
        memberships(app)
    )
    assert count(app, Household) == 2


def test_persons_and_households_in_one_run(cli, app, municipalities, tmp_path):
    result = cli(
        "import",
        "households",
        "--persons",
        write(tmp_path, "p.csv", PERSONS),
        write(tmp_path, "h.csv", HOUSEHOLDS),
    )
    assert result.exit_code == 0, result.output
    assert "persons: 3 rows: 3 created" in result.stdout
    assert "households: 4 rows: 4 created" in result.stdout
    assert len(memberships(app)) == 4


def test_a_bad_households_file_writes_nothing_not_even_its_persons(
    cli, app, municipalities, tmp_path
):
    bad = HOUSEHOLDS + (
        "H-3,Gezin Onbekend,999999990,parent,2020-01-01,\n"  # row 6: no such person
        "H-1,Gezin Anders,123456782,buurman,2020-01-01,2019-01-01\n"  # row 7
        "H-1,,123456770,child,2016-01-01,\n"  # row 8: overlaps row 3
    )
    result = cli(
        "import",
        "households",
        "--persons",
        write(tmp_path, "p.csv", PERSONS),
        write(tmp_path, "h.csv", bad),
    )
    assert result.exit_code != 0
    for line in [
        "h.csv: row 6: bsn: no person with this BSN; import them first",
        "h.csv: row 7: role: must be one of parent, child, partner, carer, other (or ouder, ",
        "h.csv: row 7: end_on: must lie after start_on",
        "h.csv: row 8: start_on: overlaps row 3",
    ]:
        assert line in result.stderr, result.stderr
    assert count(app, Person) == 0 and count(app, Household) == 0


def test_conflicting_and_missing_household_names(cli, app, municipalities, tmp_path):
    cli("import", "persons", write(tmp_path, "p.csv", PERSONS))
    text = (
        "huishouden;naam;bsn;rol;begindatum\n"
        "A;Gezin Berg;123456782;ouder;2014-01-01\n"
        "A;Gezin Bergh;123456770;kind;2015-09-30\n"
        "B;;111222333;ouder;2020-01-01\n"
    )
    result = cli("import", "households", write(tmp_path, "h.csv", text))
    assert "row 3: naam: differs from row 2" in result.stderr
    assert "row 4: naam: no row names B" in result.stderr


def _audit(app) -> list[tuple[str, str, str]]:
    from openregie_core.models import AuditRecord

    with app.extensions["openregie"].session_factory() as session:
        rows = session.execute(
            select(
                AuditRecord.action, AuditRecord.processing_activity, AuditRecord.data_subject_id
            ).order_by(AuditRecord.id)
        )
        return [tuple(row) for row in rows]


def test_every_person_an_import_writes_is_audited_once_and_unchanged_ones_not(
    cli, app, municipalities, tmp_path
):
    from openregie_core.audit.verify import verify

    cli("import", "persons", write(tmp_path, "a.csv", PERSONS))
    stored = persons(app)
    created = _audit(app)
    assert sorted(created) == sorted(
        ("create", "core.registry.import", str(p.id)) for p in stored.values()
    )

    cli("import", "persons", write(tmp_path, "a.csv", PERSONS))
    assert _audit(app) == created  # nothing processed, nothing recorded

    changed = PERSONS.replace(
        "Emre;;Çelik;1984-03-02;06 12345678", "Emre;;Çelik;1984-03-02;0687654321"
    )
    cli("import", "persons", write(tmp_path, "b.csv", changed))
    assert _audit(app)[len(created) :] == [
        ("update", "core.registry.import", str(stored["111222333"].id))
    ]
    with app.extensions["openregie"].session_factory() as session:
        assert verify(session).intact


def test_a_refused_file_records_nothing(cli, app, municipalities, tmp_path):
    bad = PERSONS + "123456789;Jan;;Fout;1990-01-01;;;;;;;\n"
    assert cli("import", "persons", write(tmp_path, "bad.csv", bad)).exit_code != 0
    assert _audit(app) == []


def _valid_bsns(count: int) -> list[str]:
    """BSNs passing the 11-proef (9·d1 + … + 2·d8 − d9 ≡ 0 mod 11), starting with 99."""
    found = []
    number = 99_000_000
    while len(found) < count:
        digits = f"{number:08d}"
        total = sum(int(d) * w for d, w in zip(digits, range(9, 1, -1), strict=True))
        check = total % 11
        if check < 10:
            found.append(digits + str(check))
        number += 1
    return found


def test_a_large_import_is_audited_in_one_intact_chain(cli, app, municipalities, tmp_path):
    from openregie_core.audit.chain import COPY_THRESHOLD
    from openregie_core.audit.verify import verify

    header = PERSONS.splitlines()[0]
    rows = [
        f"{bsn};Test;;Persoon{index};1990-01-01;;;Markt;{index % 500 + 1};;7201AB;Zutphen;GM0301"
        for index, bsn in enumerate(_valid_bsns(COPY_THRESHOLD + 200))
    ]
    result = cli("import", "persons", write(tmp_path, "big.csv", "\n".join([header, *rows]) + "\n"))
    assert result.exit_code == 0, result.output
    assert len(_audit(app)) == COPY_THRESHOLD + 200
    with app.extensions["openregie"].session_factory() as session:
        report = verify(session)
    assert report.intact and report.checked == COPY_THRESHOLD + 200


def test_a_large_import_hashes_every_record_as_record_hash_does(cli, app, municipalities, tmp_path):
    """The batched writer fills a template per group; each hash must still be exactly the
    documented one (`record_hash`), which `verify`'s own templates do not show by themselves."""
    from openregie_core.audit.chain import (
        COPY_THRESHOLD,
        GENESIS_HASH,
        RECORD_FIELDS,
        SECURITY_FIELDS,
        record_hash,
    )
    from openregie_core.models import AuditRecord, AuditSecurity

    header = PERSONS.splitlines()[0]
    rows = [
        f"{bsn};Test;;Persoon{index};1990-01-01;;;Markt;1;;7201AB;Zutphen;GM0301"
        for index, bsn in enumerate(_valid_bsns(COPY_THRESHOLD + 5))
    ]
    result = cli("import", "persons", write(tmp_path, "big.csv", "\n".join([header, *rows]) + "\n"))
    assert result.exit_code == 0, result.output
    with app.extensions["openregie"].session_factory() as session:
        written = list(session.scalars(select(AuditRecord).order_by(AuditRecord.id)))
        security = session.get(AuditSecurity, written[0].trace_id)
        security_fields = {name: getattr(security, name) for name in SECURITY_FIELDS}
    assert len(written) == COPY_THRESHOLD + 5 and written[0].prev_hash == GENESIS_HASH
    for record in written:
        fields = {name: getattr(record, name) for name in RECORD_FIELDS}
        assert record.hash == record_hash(fields, security_fields)


def test_the_fast_checks_agree_with_person_in_on_every_value(app):
    """The bulk checks accept a value only as PersonIn does, with the same normalised
    result; every other row goes through PersonIn and gets its messages."""
    import itertools
    import random
    import uuid

    from openregie_core.registry.csvfile import read_csv
    from openregie_core.registry.importer import ALIASES, REQUIRED, _check_row, _RowChecker

    tricky = {
        "bsn": [
            "111222333",
            "123456782",
            "12345678",
            "123 456 782",
            "123.456.782",
            "000000000",
            "123456789",
            "１２３４５６７８２",
            "",
            "abc",
            "1234567820",
        ],
        "voornamen": ["Jan", "", "x" * 200, "x" * 201, "Émile"],
        "voorvoegsel": ["", "van der", "x" * 20, "x" * 21],
        "geslachtsnaam": ["Berg", "", "Çelik", "y" * 200, "y" * 201],
        "birth_date": [
            "",
            "1984-03-02",
            "02-03-1979",
            "2-3-1979",
            "1899-12-31",
            "1900-01-01",
            "2999-01-01",
            "31-02-2000",
            "19840302",
            "morgen",
            dt.date.today().isoformat(),
        ],
        "phone": ["", "06 12345678", "+31 (0)6-1234", "0612", "+316123456789012", "06.1234.5678"],
        "email": ["", "a@b.nl", "a@b", "a b@c.nl", "x" * 250 + "@b.nl"],
        "street": ["", "Markt", "s" * 201],
        "house_number": ["", "1", "99999", "100000", "0", "007", "+5", "12.0", "1_0", "٣", "abc"],
        "house_number_suffix": ["", "A", "z" * 11],
        "postcode": ["", "7201 hk", "7241AB", "0123AB", "1234SA", "1234 sd", "12345", "7201hk"],
        "city": ["", "Zutphen", "c" * 121],
        "municipality": ["", "GM0301", "gm0301", "GM9999"],
    }
    rng = random.Random(7)
    header = list(tricky)
    lines = [";".join(header)]
    for _ in range(600):
        lines.append(";".join(rng.choice(tricky[column]) for column in header))
    # Each value of each column at least once on an otherwise good row.
    good = ["123456782", "Jan", "", "Berg", "", "", "", "", "", "", "", "", ""]
    for position, column in enumerate(header):
        for value in tricky[column]:
            row = list(good)
            row[position] = value
            lines.append(";".join(row))
    table, problems = read_csv("\n".join(lines).encode(), ALIASES, REQUIRED)
    assert table is not None and not problems
    municipalities = {"GM0301": uuid.uuid4()}
    with app.test_request_context():
        for start in range(0, len(table.rows), 97):
            chunk = table.rows[start : start + 97]
            for number, values in chunk:
                fast = _RowChecker(table, municipalities, [])
                records = fast.check([(number, list(values))])
                slow = _check_row(table, number, table.fields(list(values)), municipalities)
                if isinstance(slow, list):
                    assert not records and fast.problems == slow, values
                else:
                    assert records == [slow] and not fast.problems, values
        # Whole chunks give the same as row by row, duplicates included.
        checker = _RowChecker(table, municipalities, [])
        together = list(
            itertools.chain.from_iterable(
                checker.check(table.rows[s : s + 97]) for s in range(0, len(table.rows), 97)
            )
        )
        expected, seen, duplicates = [], set(), 0
        for number, values in table.rows:
            slow = _check_row(table, number, table.fields(list(values)), municipalities)
            if not isinstance(slow, list):
                if slow[0] in seen:
                    duplicates += 1
                else:
                    seen.add(slow[0])
                    expected.append(slow)
        assert together == expected
        assert sum(p.message.startswith("also on row") for p in checker.problems) == duplicates


def test_a_bad_row_after_written_chunks_leaves_nothing_even_when_the_caller_commits(
    app, municipalities, monkeypatch
):
    """PostgreSQL writes checked chunks while later ones are checked: a bad row further on
    rolls back what was written (a savepoint), whatever the caller does next."""
    from openregie_core.registry import importer

    monkeypatch.setattr(importer, "CHUNK", 1)
    bad = PERSONS + "123456794;Piet;;Jansen;morgen;;;;;;;;\n"
    with app.app_context():
        session = app.extensions["openregie"].session_factory()
        result = import_persons(session, bad.encode())
        assert [str(p) for p in result.problems] == [
            "row 5: birth_date: not a date (write 2024-03-31 or 31-03-2024)"
        ]
        session.commit()
        session.close()
    assert count(app, Person) == 0
    with app.app_context():
        session = app.extensions["openregie"].session_factory()
        assert import_persons(session, PERSONS.encode()).created == 3
        session.commit()
        session.close()
    assert count(app, Person) == 3


def _statuses(app) -> list[tuple[str, str, str]]:
    from openregie_core.models import AuditRecord

    with app.extensions["openregie"].session_factory() as session:
        rows = session.execute(
            select(AuditRecord.action, AuditRecord.data_subject_id, AuditRecord.status).order_by(
                AuditRecord.id
            )
        )
        return [tuple(row) for row in rows]


def test_an_imports_audit_records_written_chunk_by_chunk_verify(
    cli, app, municipalities, tmp_path, monkeypatch
):
    """PostgreSQL appends the records chunk by chunk in the writer thread (SQLite at
    commit): one per person created or changed, in one intact chain that still shows
    tampering, and `record_import` does not write them a second time."""
    from openregie_core.audit.verify import verify
    from openregie_core.models import AuditRecord, AuditSecurity
    from openregie_core.registry import importer

    monkeypatch.setattr(importer, "CHUNK", 2)
    assert cli("import", "persons", write(tmp_path, "a.csv", PERSONS)).exit_code == 0
    header = PERSONS.splitlines()[0]
    changed = PERSONS.replace("Houtmarkt;12", "Houtmarkt;14").splitlines()[1:]
    more = [
        f"{bsn};Nieuw;;Persoon{i};1990-01-01;;;Markt;1;;7201AB;Zutphen;GM0301"
        for i, bsn in enumerate(_valid_bsns(5))
    ]
    # Updates and creations spread over several chunks, interleaved in the chain.
    text = "\n".join([header, more[0], changed[0], *more[1:3], changed[1], *more[3:]]) + "\n"
    result = cli("import", "persons", write(tmp_path, "b.csv", text))
    assert result.exit_code == 0, result.output
    stored = persons(app)
    records = _statuses(app)
    assert sorted(records[:3]) == sorted(
        ("create", str(stored[bsn].id), "ok") for bsn in ("111222333", "123456782", "123456770")
    )
    assert sorted(records[3:]) == sorted(
        [("update", str(stored["111222333"].id), "ok")]
        + [("create", str(stored[bsn].id), "ok") for bsn in _valid_bsns(5)]
    )
    with app.extensions["openregie"].session_factory() as session:
        assert session.scalar(select(func.count()).select_from(AuditSecurity)) == 2
        report = verify(session)
        assert report.intact and report.checked == 9
        assert cli("audit", "verify").output.strip() == "audit chain intact: 9 records"
        victim = session.scalars(select(AuditRecord).order_by(AuditRecord.id).offset(5)).first()
        victim.data_subject_id = str(stored["123456782"].id)
        session.commit()
        report = verify(session)
        assert not report.intact and report.broken.record_id == victim.id
    assert cli("audit", "verify").exit_code == 1


def test_a_failed_import_leaves_no_audit_records_and_the_trace_goes_on(
    app, municipalities, monkeypatch
):
    """In one command's session: a read recorded first, then a file refused after chunks
    (and their audit records) were written, then a good import. Only the read and the good
    import's persons are audited, the trace's security record once, the chain intact."""
    from openregie_core.audit import recorder
    from openregie_core.audit.verify import verify
    from openregie_core.models import AuditSecurity
    from openregie_core.registry import importer
    from openregie_sdk.audit import record

    monkeypatch.setattr(importer, "CHUNK", 1)
    runtime = app.extensions["openregie"]
    bad = PERSONS + "123456794;Piet;;Jansen;morgen;;;;;;;;\n"
    with app.app_context():
        session = runtime.session()
        record("read", "core.registry.view", "person", ["someone"])
        refused = importer.import_persons(session, bad.encode())
        assert not refused.ok
        good = importer.import_persons(session, PERSONS.encode())
        assert good.created == 3
        importer.record_import(good)
        if session.get_bind().dialect.name == "postgresql":
            # Written by the import's writer thread: nothing left for the commit to write.
            assert [r.action for r in session.info[recorder.KEY].pending] == ["read"]
        session.commit()
        record("read", "core.registry.view", "person", ["someone else"])
        session.commit()
        runtime.close_cli_session(failed=False)
    stored = persons(app)
    assert sorted(_statuses(app)) == sorted(
        [("read", "someone", "ok"), ("read", "someone else", "ok")]
        + [("create", str(p.id), "ok") for p in stored.values()]
    )
    with runtime.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(AuditSecurity)) == 1
        assert verify(session).intact


def test_an_import_rolled_back_after_it_wrote_leaves_no_ok_records(
    app, municipalities, monkeypatch
):
    """The caller rolls back after a good import (as the CLI does when a later file is
    refused): its persons and audit records go; the recorder then writes them as "error"
    after the command, as for any record whose transaction did not commit."""
    from openregie_core.audit.verify import verify
    from openregie_core.registry import importer

    monkeypatch.setattr(importer, "CHUNK", 2)
    runtime = app.extensions["openregie"]
    with app.app_context():
        session = runtime.session()
        result = importer.import_persons(session, PERSONS.encode())
        assert result.created == 3
        importer.record_import(result)
        session.rollback()
        runtime.close_cli_session(failed=False)
    assert count(app, Person) == 0
    records = _statuses(app)
    assert len(records) == 3 and {status for _, _, status in records} == {"error"}
    with runtime.session_factory() as session:
        assert verify(session).intact


def test_chunks_encoded_ahead_and_a_later_chunk_with_known_persons_form_one_chain(
    cli, app, municipalities, tmp_path, monkeypatch
):
    """The checking thread encodes chunks ahead on the assumption that their persons are
    new (PostgreSQL); a chunk that turns out to hold a known person is written by the
    writer itself, and so are the chunks encoded ahead after it (their hashes no longer
    link on): every person is written once, every record once, in one intact chain."""
    from openregie_core.audit.verify import verify
    from openregie_core.registry import importer

    monkeypatch.setattr(importer, "CHUNK", 2)
    assert cli("import", "persons", write(tmp_path, "a.csv", PERSONS)).exit_code == 0
    sent_ahead = []
    write_ahead = importer._Writer._write_ahead

    def spy(writer, cursor, ahead):
        sent_ahead.append(write_ahead(writer, cursor, ahead))
        return sent_ahead[-1]

    monkeypatch.setattr(importer._Writer, "_write_ahead", spy)
    header = PERSONS.splitlines()[0]
    known = PERSONS.replace("Houtmarkt;12", "Houtmarkt;16").splitlines()[1]
    new = [
        f"{bsn};Nieuw;;Persoon{i};1990-01-01;;;Markt;1;;7201AB;Zutphen;GM0301"
        for i, bsn in enumerate(_valid_bsns(8))
    ]
    # Chunks of two (sorted on BSN within a chunk): new, new | new, known | new, new | ...
    text = "\n".join([header, *new[:3], known, *new[3:]]) + "\n"
    result = cli("import", "persons", write(tmp_path, "b.csv", text))
    assert result.exit_code == 0, result.output
    assert "9 rows: 8 created, 1 updated, 0 unchanged" in result.stdout
    stored = persons(app)
    records = _statuses(app)[3:]
    assert sorted(records) == sorted(
        [("update", str(stored["111222333"].id), "ok")]
        + [("create", str(stored[bsn].id), "ok") for bsn in _valid_bsns(8)]
    )
    assert stored["111222333"].house_number == 16
    with app.extensions["openregie"].session_factory() as session:
        report = verify(session)
        assert report.intact and report.checked == 12
    if app.extensions["openregie"].engine.dialect.name == "postgresql":
        assert sent_ahead[0] is True  # the first chunk went out as encoded ahead


def test_new_ids_are_distinct_random_version_4_uuids():
    from openregie_core.registry.importer import new_ids

    ids = new_ids(1000)
    assert len(set(ids)) == 1000
    assert {(i.version, i.variant) for i in ids} == {(4, uuid.RFC_4122)}
    assert all(uuid.UUID(str(i)) == i for i in ids)
