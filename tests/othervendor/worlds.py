"""The data the tests give AnderZorg, written straight into its own tables as its own
application would: a trajectory with an agreed list of agreements (a wish of the parent's
with a task for her and one for the case manager), a shared and an internal conversation,
a shared and an internal document, and a provision for the child.

`vendor` is the loaded AnderZorg package (its `models` and `lijst` modules), whose name the
test distribution generates.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from openregie_sdk.db import utcnow
from openregie_sdk.files import file_store
from openregie_sdk.testing.conformance.casemanagement import pdf_bytes

SHARED_CONTENT = pdf_bytes("gedeeld")
WISH = "Wij willen rust in onze financiën."
MY_TASK = "Alle post in één map verzamelen."
THEIR_TASK = "Aanmelden bij de schuldhulpverlening."
SHARED_TALK = "Kennismaking thuis; afspraken over de post."
INTERNAL_TALK = "Intern overleg met de school."


@dataclass(frozen=True)
class Traject:
    """The ids of what `trajectory_with_agreed_list` wrote."""

    id: uuid.UUID
    wish_id: uuid.UUID
    my_task_id: uuid.UUID
    their_task_id: uuid.UUID
    shared_talk_id: uuid.UUID
    internal_talk_id: uuid.UUID
    shared_document_id: uuid.UUID
    internal_document_id: uuid.UUID
    provision_id: uuid.UUID


def _document(m: Any, traject_id: uuid.UUID, name: str, content: bytes, **fields: Any) -> Any:
    return m.Bijlage(
        id=uuid.uuid4(),
        traject_id=traject_id,
        naam=name,
        soort_inhoud="application/pdf",
        grootte=len(content),
        sleutel=file_store().put(content),
        toegevoegd_op=utcnow() - dt.timedelta(days=10),
        **fields,
    )


def trajectory_with_agreed_list(
    vendor: Any,
    db: Any,
    *,
    household_id: uuid.UUID,
    team_id: uuid.UUID,
    manager: tuple[uuid.UUID, str],
    parent: tuple[uuid.UUID, str],
    child_id: uuid.UUID,
) -> Traject:
    """An active trajectory of the parent and the child, `manager` (id, name) directing it;
    its list's version 1 is agreed (a frozen snapshot) and is also the living list."""
    m = vendor.models
    today, now = dt.date.today(), utcnow()
    manager_id, manager_name = manager
    parent_id, parent_name = parent
    traject = m.Traject(
        id=uuid.uuid4(),
        huishouden_id=household_id,
        team_id=team_id,
        regisseur_id=manager_id,
        naam="Rust in huis",
        fase="actief",
        begonnen_op=today - dt.timedelta(days=30),
    )
    db.add(traject)
    db.flush()
    db.add_all(
        [
            m.Deelnemer(traject_id=traject.id, persoon_id=parent_id),
            m.Deelnemer(traject_id=traject.id, persoon_id=child_id),
        ]
    )
    line = {"traject_id": traject.id, "gewijzigd_op": now, "gewijzigd_door": manager_name}
    wish = m.Afspraak(
        id=uuid.uuid4(),
        volgnummer=1,
        soort="wens",
        thema="geld",
        tekst=WISH,
        wie_soort="inwoner",
        wie_persoon_id=parent_id,
        wie_naam=parent_name,
        uiterlijk=today + dt.timedelta(days=90),
        stand="bezig",
        versie=1,
        **line,
    )
    mine = m.Afspraak(
        id=uuid.uuid4(),
        volgnummer=2,
        soort="taak",
        wens_id=wish.id,
        tekst=MY_TASK,
        wie_soort="inwoner",
        wie_persoon_id=parent_id,
        wie_naam=parent_name,
        uiterlijk=today + dt.timedelta(days=7),
        stand="open",
        versie=1,
        **line,
    )
    theirs = m.Afspraak(
        id=uuid.uuid4(),
        volgnummer=3,
        soort="taak",
        wens_id=wish.id,
        tekst=THEIR_TASK,
        wie_soort="medewerker",
        wie_medewerker_id=manager_id,
        wie_naam=manager_name,
        uiterlijk=today + dt.timedelta(days=14),
        stand="open",
        versie=1,
        **line,
    )
    db.add_all([wish, mine, theirs])
    db.add(
        m.Lijstversie(
            traject_id=traject.id,
            nummer=1,
            vastgesteld_op=today - dt.timedelta(days=20),
            ondertekend_door=[parent_name, manager_name],
            wijzigingen=[],
            inhoud=vendor.lijst.snapshot([wish, mine, theirs]),
        )
    )
    talk = {"traject_id": traject.id, "door_id": manager_id}
    shared_talk = m.Gesprek(
        id=uuid.uuid4(),
        gevoerd_op=now - dt.timedelta(days=5),
        vorm="huisbezoek",
        aanwezig=f"{parent_name}, {manager_name}",
        verslag=SHARED_TALK,
        delen_met_inwoner=True,
        **talk,
    )
    internal_talk = m.Gesprek(
        id=uuid.uuid4(),
        gevoerd_op=now - dt.timedelta(days=3),
        vorm="telefoon",
        aanwezig=f"{manager_name}, school",
        verslag=INTERNAL_TALK,
        delen_met_inwoner=False,
        **talk,
    )
    shared = _document(
        m, traject.id, "plan.pdf", SHARED_CONTENT, gedeeld=True, van_medewerker_id=manager_id
    )
    internal = _document(
        m,
        traject.id,
        "intern-verslag.pdf",
        pdf_bytes("intern"),
        gedeeld=False,
        van_medewerker_id=manager_id,
    )
    provision = m.Voorziening(
        id=uuid.uuid4(),
        traject_id=traject.id,
        persoon_id=child_id,
        wet="jw",
        categorie="jeugdhulp_ambulant",
        aanbieder="Jeugdzorg Oost",
        agb="12345678",
        fase="gestart",
        begint_op=today - dt.timedelta(days=15),
    )
    db.add_all([shared_talk, internal_talk, shared, internal, provision])
    db.flush()
    return Traject(
        id=traject.id,
        wish_id=wish.id,
        my_task_id=mine.id,
        their_task_id=theirs.id,
        shared_talk_id=shared_talk.id,
        internal_talk_id=internal_talk.id,
        shared_document_id=shared.id,
        internal_document_id=internal.id,
        provision_id=provision.id,
    )


def other_trajectory(
    vendor: Any,
    db: Any,
    *,
    household_id: uuid.UUID,
    team_id: uuid.UUID,
    manager_id: uuid.UUID,
    person_id: uuid.UUID,
) -> dict[str, uuid.UUID]:
    """A new trajectory of another household with a concept list (a wish and a task of
    the person), a shared conversation and a shared document."""
    m = vendor.models
    today, now = dt.date.today(), utcnow()
    traject = m.Traject(
        id=uuid.uuid4(),
        huishouden_id=household_id,
        team_id=team_id,
        regisseur_id=manager_id,
        naam="Andere casus",
        fase="aanmelding",
        begonnen_op=today - dt.timedelta(days=5),
    )
    db.add(traject)
    db.flush()
    line = {"traject_id": traject.id, "gewijzigd_op": now, "gewijzigd_door": "Otto Elders"}
    who = {"wie_soort": "inwoner", "wie_persoon_id": person_id, "wie_naam": "Karel Pietersen"}
    wish = m.Afspraak(
        id=uuid.uuid4(),
        volgnummer=1,
        soort="wens",
        thema="wonen",
        tekst="Een eigen woning.",
        stand="open",
        versie=1,
        **who,
        **line,
    )
    task = m.Afspraak(
        id=uuid.uuid4(),
        volgnummer=2,
        soort="taak",
        wens_id=wish.id,
        tekst="Inschrijven bij de woningcorporatie.",
        stand="open",
        versie=1,
        **who,
        **line,
    )
    talk = m.Gesprek(
        id=uuid.uuid4(),
        traject_id=traject.id,
        gevoerd_op=now - dt.timedelta(days=1),
        vorm="spreekuur",
        aanwezig="Karel Pietersen",
        verslag="Intakegesprek.",
        delen_met_inwoner=True,
        door_id=manager_id,
    )
    document = _document(
        m, traject.id, "intake.pdf", pdf_bytes("ander"), gedeeld=True, van_medewerker_id=manager_id
    )
    db.add_all(
        [
            m.Deelnemer(traject_id=traject.id, persoon_id=person_id),
            wish,
            task,
            talk,
            document,
            m.Lijstversie(traject_id=traject.id, nummer=1, ondertekend_door=[], wijzigingen=[]),
        ]
    )
    db.flush()
    return {
        "id": traject.id,
        "wish_id": wish.id,
        "task_id": task.id,
        "talk_id": talk.id,
        "document_id": document.id,
    }
