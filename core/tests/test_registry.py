"""The core registry's services: validated input naming the field, persons with optimistic
locking, households over time, legal representation, and person search that always honours
the visibility predicate."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from pydantic import ValidationError
from sqlalchemy import event, false, text, true
from stdnum.nl import postcode as stdnum_postcode

from openregie_core.registry import (
    ConflictError,
    HouseholdIn,
    HouseholdMemberIn,
    LegalRepresentationIn,
    MunicipalityIn,
    NotFound,
    OrganisationIn,
    PersonIn,
    RegistryError,
    add_member,
    create_household,
    create_legal_representation,
    create_municipality,
    create_person,
    end_membership,
    fold_name,
    problems_of,
    search_persons,
    update_person,
)
from openregie_core.registry.checks import check_postcode, is_valid_bsn, random_bsn
from openregie_core.registry.search import search_statement
from openregie_sdk.registry import Household, Person

pytestmark = pytest.mark.openregie_modules()  # core only: the registry is core's

TODAY = dt.date.today()


def refusal(model: type, **fields: object) -> dict[str, str]:
    """The problems, by field, of building `model` from `fields`."""
    with pytest.raises(ValidationError) as caught:
        model(**fields)
    return dict(problems_of(caught.value))


def person_in(**fields: object) -> PersonIn:
    return PersonIn(**{"voornamen": "Sanne", "geslachtsnaam": "Visser", **fields})


def add_person(db, **fields: object) -> Person:
    return create_person(db, person_in(**fields))


# -- input validation -------------------------------------------------------------------


@pytest.mark.parametrize("bsn", ["111222333", "123456782", "1234.56.782", " 123 456 782 "])
def test_valid_bsns_are_accepted_and_compacted(bsn):
    assert person_in(bsn=bsn).bsn in {"111222333", "123456782"}


@pytest.mark.parametrize(
    ("bsn", "message"),
    [
        ("123456789", "voldoet niet aan de 11-proef (controlecijfer)"),
        ("002455799", "voldoet niet aan de 11-proef (controlecijfer)"),
        ("12345", "moet uit 9 cijfers bestaan"),
        ("12345678a", "moet uit 9 cijfers bestaan"),
        ("000000000", "is geen BSN"),
    ],
)
def test_invalid_bsns_are_refused_naming_the_field(bsn, message):
    assert refusal(PersonIn, voornamen="Sanne", geslachtsnaam="Visser", bsn=bsn) == {"bsn": message}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("geslachtsnaam", "Jan\x00"),
        ("voornamen", "Ja\x1bn"),
        ("city", "Zutphen\nLochem"),
        ("geslachtsnaam", "Jan\u202efdp.exe"),
        ("street", "Dorpsstraat\u2066"),
    ],
)
def test_control_and_bidi_override_characters_are_refused_in_single_line_text(field, value):
    fields = {"voornamen": "Sanne", "geslachtsnaam": "Visser", field: value}
    assert refusal(PersonIn, **fields) == {
        field: "bevat een teken dat hier niet is toegestaan (zoals een stuurteken)"
    }


@pytest.mark.parametrize("name", ["Zoë", "Zoe\u0308", "Çelik", "𝒜lice", "李\U00020000", "אבי"])
def test_combining_marks_astral_and_right_to_left_letters_are_text(name):
    assert person_in(geslachtsnaam=name).geslachtsnaam == name


def test_messages_are_english_in_an_english_request(app):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert refusal(PersonIn, voornamen="Sanne", geslachtsnaam="Visser", bsn="12345") == {
            "bsn": "must be 9 digits"
        }
        assert refusal(PersonIn, voornamen=" ", geslachtsnaam="B", house_number=0) == {
            "voornamen": "is required",
            "house_number": "must be at least 1",
        }


def test_an_eight_digit_bsn_gets_its_leading_zero_back():
    assert person_in(bsn="12345672").bsn == "012345672"
    assert is_valid_bsn("012345672")


def test_random_test_bsns_pass_the_11_proef():
    import random

    rng = random.Random(5)
    numbers = {random_bsn(rng) for _ in range(500)}
    assert all(is_valid_bsn(n) and n.startswith("99") for n in numbers)


@pytest.mark.parametrize(
    ("given", "stored"), [("1234 ab", "1234AB"), ("1234AB", "1234AB"), (" 7201 hk ", "7201HK")]
)
def test_postcodes_are_normalised(given, stored):
    assert person_in(postcode=given).postcode == stored


@pytest.mark.parametrize("postcode", ["0123AB", "1234SA", "1234SS", "12345", "AB1234", "1234 A"])
def test_invalid_postcodes_are_refused(postcode):
    problems = refusal(PersonIn, voornamen="Sanne", geslachtsnaam="Visser", postcode=postcode)
    assert problems == {"postcode": "geen Nederlandse postcode (zoals 1234 AB)"}


@pytest.mark.parametrize("postcode", ["1234AB", "1234 ab", "NL-1234 AB", "9999ZZ", "1234SD", "x"])
def test_postcode_check_agrees_with_stdnum(postcode):
    try:
        expected = stdnum_postcode.validate(postcode).replace(" ", "")
    except Exception:
        expected = None
    try:
        actual = check_postcode(postcode)
    except ValueError:
        actual = None
    assert actual == expected


def test_birth_dates_must_lie_between_1900_and_today():
    assert person_in(birth_date=TODAY).birth_date == TODAY
    future = refusal(PersonIn, voornamen="A", geslachtsnaam="B", birth_date=TODAY + dt.timedelta(1))
    assert future == {"birth_date": "ligt in de toekomst"}
    ancient = refusal(PersonIn, voornamen="A", geslachtsnaam="B", birth_date="1899-12-31")
    assert ancient == {"birth_date": "ligt voor 1900-01-01"}


def test_each_bad_field_is_named():
    problems = refusal(
        PersonIn,
        voornamen=" ",
        geslachtsnaam="x" * 201,
        voorvoegsel="v" * 21,
        house_number=0,
        email="geen-adres",
        phone="12",
    )
    assert problems == {
        "voornamen": "is verplicht",
        "geslachtsnaam": "is langer dan 200 tekens",
        "voorvoegsel": "is langer dan 20 tekens",
        "house_number": "moet minstens 1 zijn",
        "email": "geen e-mailadres",
        "phone": "geen telefoonnummer (10 tot 15 cijfers, zoals 06 12345678)",
    }
    assert person_in(house_number=99999, phone="+31 6 1234 5678").phone == "+31612345678"
    too_high = refusal(PersonIn, voornamen="A", geslachtsnaam="B", house_number=100000)
    assert too_high == {"house_number": "mag hoogstens 99999 zijn"}


def test_empty_optional_fields_are_none_and_names_are_tidied():
    person = person_in(voornamen="  Jan Pieter ", voorvoegsel="", email="", bsn="")
    assert (person.voornamen, person.voorvoegsel, person.email, person.bsn) == (
        "Jan Pieter",
        None,
        None,
        None,
    )


def test_municipality_and_organisation_codes_are_checked():
    assert MunicipalityIn(cbs_code="gm0262", name="Lochem").cbs_code == "GM0262"
    assert refusal(MunicipalityIn, cbs_code="0262", name="Lochem") == {
        "cbs_code": "geen CBS-gemeentecode (zoals GM0262)"
    }
    assert OrganisationIn(name="Wijkverpleging", agb_code="30105418").agb_code == "30105418"
    assert refusal(OrganisationIn, name="Wijkverpleging", agb_code="3010541") == {
        "agb_code": "geen AGB-code (8 cijfers)"
    }


def test_fold_name_lowers_and_strips_diacritics():
    assert fold_name("  Çelik ") == "celik"
    assert fold_name("ÖZTÜRK-Yılmaz") == "ozturk-yilmaz"
    assert fold_name("Wiśniewski") == "wisniewski"


# -- persons ----------------------------------------------------------------------------


def test_a_person_gets_a_folded_search_name(db):
    person = add_person(db, geslachtsnaam="Öztürk", bsn="111222333")
    assert (person.search_name, person.version) == ("ozturk", 1)


def test_a_bsn_is_registered_once(db):
    add_person(db, bsn="111222333")
    with pytest.raises(RegistryError) as caught:
        add_person(db, bsn="111.222.333", voornamen="Ander")
    assert caught.value.problems == [("bsn", "is al geregistreerd voor een andere persoon")]
    add_person(db)  # without BSN: any number of them
    add_person(db)


def test_an_unknown_municipality_is_refused(db):
    with pytest.raises(NotFound) as caught:
        add_person(db, municipality_id=uuid.uuid4())
    assert caught.value.problems[0][0] == "municipality_id"


def test_an_update_raises_the_version_and_a_stale_one_conflicts(db):
    person = add_person(db, bsn="123456782")
    db.commit()
    changed = update_person(
        db, person.id, person_in(bsn="123456782", phone="0612345678"), version=1
    )
    db.commit()
    assert (changed.version, changed.phone) == (2, "0612345678")
    with pytest.raises(ConflictError) as caught:
        update_person(db, person.id, person_in(geslachtsnaam="Smit"), version=1)
    assert caught.value.problems[0][0] == "version"
    db.rollback()
    assert db.get(Person, person.id).geslachtsnaam == "Visser"


def test_a_change_saved_since_reading_makes_the_update_conflict(app, db):
    person = add_person(db)
    db.commit()
    factory = app.extensions["openregie"].session_factory
    with factory() as first, factory() as second:
        assert second.get(Person, person.id).version == 1  # a form shows version 1 ...
        update_person(first, person.id, person_in(geslachtsnaam="Smit"), version=1)
        first.commit()  # ... someone else saves meanwhile ...
        with pytest.raises(ConflictError):  # ... so saving the form conflicts at the UPDATE
            update_person(second, person.id, person_in(geslachtsnaam="Bos"), version=1)
    db.expire_all()
    refreshed = db.get(Person, person.id)
    assert (refreshed.geslachtsnaam, refreshed.version) == ("Smit", 2)


# -- households -------------------------------------------------------------------------


def test_household_members_over_time_and_a_child_in_two_households(db):
    mother, father, child = add_person(db), add_person(db), add_person(db, voornamen="Daan")
    day = dt.date
    family = create_household(
        db,
        HouseholdIn(
            name="Gezin Visser",
            members=[
                HouseholdMemberIn(person_id=mother.id, role="parent", start_on=day(2012, 5, 1)),
                HouseholdMemberIn(
                    person_id=father.id,
                    role="parent",
                    start_on=day(2012, 5, 1),
                    end_on=day(2020, 3, 1),
                ),
                HouseholdMemberIn(person_id=child.id, role="child", start_on=day(2014, 2, 3)),
            ],
        ),
    )
    fathers = create_household(db, HouseholdIn(name="Gezin Visser (vader)"))
    add_member(
        db,
        fathers.id,
        HouseholdMemberIn(person_id=father.id, role="parent", start_on=day(2020, 3, 1)),
    )
    add_member(
        db,
        fathers.id,
        HouseholdMemberIn(person_id=child.id, role="child", start_on=day(2020, 3, 1)),
    )
    db.commit()
    db.expire_all()
    family, fathers = db.get(Household, family.id), db.get(Household, fathers.id)

    def on(household: Household, when: dt.date) -> set[uuid.UUID]:
        return {m.person_id for m in household.members_on(when)}

    assert on(family, day(2012, 4, 30)) == set()
    assert on(family, day(2015, 1, 1)) == {mother.id, father.id, child.id}
    assert on(family, day(2020, 2, 29)) == {mother.id, father.id, child.id}
    assert on(family, day(2020, 3, 1)) == {mother.id, child.id}  # the end is exclusive
    assert on(fathers, day(2020, 2, 29)) == set()
    assert on(fathers, TODAY) == {father.id, child.id}
    assert child.id in on(family, TODAY) & on(fathers, TODAY)


def test_overlapping_periods_in_one_household_are_refused(db):
    person = add_person(db)
    household = create_household(db, HouseholdIn(name="Huishouden Visser"))
    member = add_member(
        db,
        household.id,
        HouseholdMemberIn(person_id=person.id, role="other", start_on=dt.date(2020, 1, 1)),
    )
    later = HouseholdMemberIn(person_id=person.id, role="other", start_on=dt.date(2022, 1, 1))
    with pytest.raises(RegistryError) as caught:
        add_member(db, household.id, later)
    assert caught.value.problems[0][0] == "start_on"
    end_membership(db, member.id, dt.date(2021, 6, 1))
    assert add_member(db, household.id, later).start_on == dt.date(2022, 1, 1)
    with pytest.raises(RegistryError):  # reopening would overlap the later period
        end_membership(db, member.id, dt.date(2023, 1, 1))


def test_member_input_is_checked(db):
    assert refusal(
        HouseholdMemberIn,
        person_id=uuid.uuid4(),
        role="buurman",
        start_on="2020-01-01",
        end_on="2019-01-01",
    ) == {
        "end_on": "moet na start_on liggen",
        "role": "moet een van deze zijn: parent, child, partner, carer, other",
    }
    household = create_household(db, HouseholdIn(name="Leeg"))
    with pytest.raises(NotFound):
        add_member(
            db,
            household.id,
            HouseholdMemberIn(person_id=uuid.uuid4(), role="child", start_on=TODAY),
        )


# -- legal representation ---------------------------------------------------------------


def test_parental_authority_and_bewindvoering(db):
    parent = add_person(db, birth_date=dt.date(1980, 1, 1))
    child = add_person(db, birth_date=dt.date(2015, 6, 1))
    adult = add_person(db, birth_date=dt.date(1960, 1, 1))
    authority = create_legal_representation(
        db,
        LegalRepresentationIn(
            representative_id=parent.id,
            represented_id=child.id,
            kind="parental_authority",
            start_on=child.birth_date,
            end_on=dt.date(2033, 6, 1),
        ),
    )
    assert authority.kind == "parental_authority"
    bewind = create_legal_representation(
        db,
        LegalRepresentationIn(
            representative_id=parent.id,
            represented_id=adult.id,
            kind="bewindvoering",
            start_on=dt.date(2022, 1, 1),
        ),
    )
    assert bewind.end_on is None


@pytest.mark.parametrize(
    ("kind", "start_on", "field", "message"),
    [
        (
            "parental_authority",
            dt.date(2020, 1, 1),
            "kind",
            "parental_authority is alleen voor minderjarigen",
        ),
        ("guardianship", dt.date(2020, 1, 1), "kind", "guardianship is alleen voor minderjarigen"),
    ],
)
def test_representation_must_fit_the_age_of_the_represented(db, kind, start_on, field, message):
    adult = add_person(db, birth_date=dt.date(1990, 1, 1))
    other = add_person(db)
    with pytest.raises(RegistryError) as caught:
        create_legal_representation(
            db,
            LegalRepresentationIn(
                representative_id=other.id, represented_id=adult.id, kind=kind, start_on=start_on
            ),
        )
    assert caught.value.problems == [(field, message)]


def test_adult_measures_over_a_minor_and_starts_before_birth_are_refused(db):
    child = add_person(db, birth_date=dt.date(2015, 6, 1))
    other = add_person(db)
    for kind, start_on, problem in [
        (
            "bewindvoering",
            dt.date(2020, 1, 1),
            ("kind", "bewindvoering is alleen voor meerderjarigen"),
        ),
        ("mentorship", dt.date(2020, 1, 1), ("kind", "mentorship is alleen voor meerderjarigen")),
        (
            "parental_authority",
            dt.date(2015, 5, 1),
            ("start_on", "ligt voor de geboorte van de vertegenwoordigde persoon"),
        ),
    ]:
        with pytest.raises(RegistryError) as caught:
            create_legal_representation(
                db,
                LegalRepresentationIn(
                    representative_id=other.id,
                    represented_id=child.id,
                    kind=kind,
                    start_on=start_on,
                ),
            )
        assert caught.value.problems == [problem]


def test_representation_input_is_checked(db):
    same = uuid.uuid4()
    assert refusal(
        LegalRepresentationIn,
        representative_id=same,
        represented_id=same,
        kind="voogd",
        start_on="2020-01-01",
        end_on="2020-01-01",
    ) == {
        "end_on": "moet na start_on liggen",
        "represented_id": "moet iemand anders zijn dan de vertegenwoordiger",
        "kind": "moet een van deze zijn: parental_authority, guardianship, curatele, "
        "bewindvoering, mentorship",
    }
    person = add_person(db)
    with pytest.raises(NotFound) as caught:
        create_legal_representation(
            db,
            LegalRepresentationIn(
                representative_id=person.id,
                represented_id=uuid.uuid4(),
                kind="mentorship",
                start_on=TODAY,
            ),
        )
    assert caught.value.problems[0][0] == "represented_id"


# -- search -----------------------------------------------------------------------------


@pytest.fixture
def residents(db) -> dict[str, Person]:
    zutphen = create_municipality(db, MunicipalityIn(cbs_code="GM0301", name="Zutphen"))
    people = {
        "celik": add_person(
            db,
            voornamen="Emre",
            geslachtsnaam="Çelik",
            bsn="111222333",
            birth_date=dt.date(1984, 3, 2),
            postcode="7201 HK",
            house_number=12,
            municipality_id=zutphen.id,
        ),
        "celik2": add_person(
            db,
            voornamen="Ayşe",
            geslachtsnaam="Celik",
            birth_date=dt.date(1987, 7, 9),
            postcode="7201HK",
            house_number=12,
        ),
        "berg": add_person(
            db,
            voornamen="Jan",
            voorvoegsel="van der",
            geslachtsnaam="Berg",
            bsn="123456782",
            birth_date=dt.date(1984, 3, 2),
            postcode="7201HK",
            house_number=14,
        ),
        "bergman": add_person(
            db, voornamen="Lotte", geslachtsnaam="Bergman", municipality_id=zutphen.id
        ),
        "jansen": add_person(db, voornamen="Piet", geslachtsnaam="Jansen"),
    }
    db.commit()
    return people


def found(db, predicate=None, **criteria) -> list[str]:
    people = search_persons(db, true() if predicate is None else predicate, **criteria)
    return [f"{p.voornamen} {p.geslachtsnaam}" for p in people]


def test_search_by_exact_bsn(db, residents):
    assert found(db, bsn="123456782") == ["Jan Berg"]
    assert found(db, bsn="1112.22.333") == ["Emre Çelik"]
    assert found(db, bsn="12345678") == []  # a prefix is not a match
    assert found(db, bsn="onzin") == []


def test_search_by_name_prefix_ignores_case_and_accents(db, residents):
    assert found(db, name_prefix="çel") == ["Ayşe Celik", "Emre Çelik"]
    assert found(db, name_prefix="CELIK") == ["Ayşe Celik", "Emre Çelik"]
    assert found(db, name_prefix="berg") == ["Jan Berg", "Lotte Bergman"]
    assert found(db, name_prefix="Van der Berg") == ["Jan Berg", "Lotte Bergman"]
    assert found(db, name_prefix="bergm") == ["Lotte Bergman"]
    assert found(db, name_prefix="b%") == []  # LIKE wildcards are taken literally


def test_search_by_birth_date_and_by_address(db, residents):
    assert found(db, birth_date=dt.date(1984, 3, 2)) == ["Jan Berg", "Emre Çelik"]
    assert found(db, postcode="7201 hk", house_number=12) == ["Ayşe Celik", "Emre Çelik"]
    assert found(db, postcode="7201HK") == ["Jan Berg", "Ayşe Celik", "Emre Çelik"]
    assert found(db, postcode="7201HK", birth_date=dt.date(1984, 3, 2), name_prefix="ce") == [
        "Emre Çelik"
    ]


def test_search_without_criteria_lists_everyone_visible_by_name_with_paging(db, residents):
    everyone = ["Jan Berg", "Lotte Bergman", "Ayşe Celik", "Emre Çelik", "Piet Jansen"]
    assert found(db) == everyone
    assert found(db, limit=2, offset=2) == everyone[2:4]
    with pytest.raises(ValueError, match="limit"):
        found(db, limit=0)


def test_search_honours_the_visibility_predicate(db, residents):
    assert found(db, false(), name_prefix="celik") == []
    assert found(db, false(), bsn="123456782") == []
    in_zutphen = Person.municipality_id == residents["celik"].municipality_id
    assert found(db, in_zutphen) == ["Lotte Bergman", "Emre Çelik"]
    assert found(db, in_zutphen, name_prefix="celik") == ["Emre Çelik"]


def test_search_is_one_statement(app, db, residents):
    statements: list[str] = []
    engine = app.extensions["openregie"].engine
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        found(
            db,
            name_prefix="ber",
            postcode="7201HK",
            house_number=14,
            birth_date=dt.date(1984, 3, 2),
        )
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert len(statements) == 1


@pytest.mark.parametrize(
    ("criteria", "index"),
    [
        ({"name_prefix": "ber"}, "ix_core_person_search_name"),
        # SQLite names the index of a UNIQUE constraint itself.
        ({"bsn": "123456782"}, ("uq_core_person_bsn", "sqlite_autoindex_core_person")),
        ({"birth_date": dt.date(1984, 3, 2)}, "ix_core_person_birth_date"),
        ({"postcode": "7201HK", "house_number": 12}, "ix_core_person_postcode_house_number"),
    ],
)
def test_each_criterion_can_use_its_index(db, residents, criteria, index):
    dialect = db.get_bind().dialect
    statement = search_statement(dialect.name, true(), **criteria)
    sql = str(statement.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
    if dialect.name == "postgresql":
        db.execute(text("SET LOCAL enable_seqscan = off"))  # five rows: make the index an option
        plan = "\n".join(db.scalars(text(f"EXPLAIN {sql}")))
    else:
        plan = "\n".join(str(row[-1]) for row in db.execute(text(f"EXPLAIN QUERY PLAN {sql}")))
    db.rollback()
    assert any(name in plan for name in ([index] if isinstance(index, str) else index)), plan
