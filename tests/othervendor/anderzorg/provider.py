"""AnderZorg's implementation of the `casemanagement` capability (1.1), mapped onto its own
trajectories and flat lists of agreements. Every method runs in `db_session()`; writes
flush and leave the commit to the caller; reads of trajectory content and every write are
audited per person the trajectory concerns.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, func, or_, select, update

from openregie_sdk import Actor, ActorKind, audit, db_session, module_settings
from openregie_sdk.capabilities.casemanagement import (
    RESIDENT_ACTION_STATUSES,
    ActionView,
    AllocationSummary,
    AppointmentRequestView,
    CaseManagerContact,
    CaseOverview,
    CaseSummary,
    ContactMomentView,
    DocumentView,
    GoalView,
    NotFound,
    PlanVersionSummary,
    PlanView,
    Refused,
    Stale,
)
from openregie_sdk.db import utcnow
from openregie_sdk.files import UploadRefused, check_upload, file_store
from openregie_sdk.registry import Person, Team
from openregie_sdk.users import users

from . import lijst
from .codes import (
    AFGEROND,
    BELVERZOEK_STAND,
    TAAK_STAND,
    THEMAS,
    VOORZIENING_FASE,
    VORM,
    WET,
    terug,
)
from .models import (
    Afspraak,
    Belverzoek,
    Bijlage,
    Deelnemer,
    Gesprek,
    Lijstversie,
    Traject,
    Voorziening,
)

MODULE = "anderzorg"
INZIEN = "anderzorg.traject.inzien"
BIJWERKEN = "anderzorg.traject.bijwerken"
NEWEST_FIRST = (Traject.begonnen_op.desc(), Traject.aangemaakt_op.desc())


def _summary(traject: Traject) -> CaseSummary:
    return CaseSummary(
        id=traject.id,
        household_id=traject.huishouden_id,
        title=traject.naam,
        status=traject.fase,
        opened_on=traject.begonnen_op,
        closed_on=traject.afgerond_op,
    )


def _traject(traject_id: uuid.UUID) -> Traject:
    traject = db_session().get(Traject, traject_id)
    if traject is None:
        raise NotFound("Dit traject bestaat niet.", "case_id")
    return traject


def _deelnemers(traject: Traject) -> list[uuid.UUID]:
    return list(
        db_session().scalars(
            select(Deelnemer.persoon_id)
            .where(Deelnemer.traject_id == traject.id)
            .order_by(Deelnemer.persoon_id)
        )
    )


def _log(traject: Traject, action: str) -> None:
    activity = INZIEN if action == "read" else BIJWERKEN
    audit.record(action, activity, "person", _deelnemers(traject), module=MODULE)


def _inwoner(traject: Traject, person_id: uuid.UUID, *, writing: bool = True) -> Person:
    """The resident acting: a person the trajectory concerns, on a trajectory still open."""
    person = db_session().get(Person, person_id)
    if person is None or person_id not in _deelnemers(traject):
        raise Refused("Deze persoon hoort niet bij dit traject.", "by_person_id")
    if writing and traject.fase == AFGEROND:
        raise Refused("Dit traject is afgerond.", "case_id")
    return person


def _naam(person: Person) -> str:
    return f"{person.voornamen} {person.geslachtsnaam}"


def _versies(traject: Traject) -> list[Lijstversie]:
    return list(
        db_session().scalars(
            select(Lijstversie)
            .where(Lijstversie.traject_id == traject.id)
            .order_by(Lijstversie.nummer.desc())
        )
    )


def _levend(traject: Traject) -> list[dict[str, Any]]:
    rows = db_session().scalars(select(Afspraak).where(Afspraak.traject_id == traject.id))
    return lijst.snapshot(rows)


def _plan(traject: Traject, versie: Lijstversie, regels: Sequence[dict[str, Any]]) -> PlanView:
    return PlanView(
        case_id=traject.id,
        version_number=versie.nummer,
        state="agreed" if versie.vastgesteld_op else "draft",
        agreed_on=versie.vastgesteld_op,
        agreed_by=tuple(versie.ondertekend_door or ()),
        changes=tuple(versie.wijzigingen or ()),
        goals=lijst.goals(regels),
    )


def _volgende(traject: Traject) -> int:
    last = db_session().scalar(
        select(func.max(Afspraak.volgnummer)).where(Afspraak.traject_id == traject.id)
    )
    return (last or 0) + 1


def _document_view(bijlage: Bijlage) -> DocumentView:
    return DocumentView(
        id=bijlage.id,
        case_id=bijlage.traject_id,
        filename=bijlage.naam,
        content_type=bijlage.soort_inhoud,
        size=bijlage.grootte,
        uploaded_at=bijlage.toegevoegd_op,
        uploaded_by_resident=bijlage.van_inwoner_id is not None,
    )


def _request_view(verzoek: Belverzoek) -> AppointmentRequestView:
    return AppointmentRequestView(
        id=verzoek.id,
        case_id=verzoek.traject_id,
        person_id=verzoek.persoon_id,
        subject=verzoek.onderwerp,
        channel=VORM[verzoek.vorm],  # type: ignore[arg-type]
        preferred_moments=verzoek.voorkeur,
        status=BELVERZOEK_STAND[verzoek.stand],  # type: ignore[arg-type]
        created_at=verzoek.ingediend_op,
    )


class AnderZorgCases:
    """The provider; stateless, everything is in AnderZorg's tables."""

    # -- cases ------------------------------------------------------------------------------
    def cases_of_household(self, household_id: uuid.UUID) -> Sequence[CaseSummary]:
        rows = db_session().scalars(
            select(Traject).where(Traject.huishouden_id == household_id).order_by(*NEWEST_FIRST)
        )
        return [_summary(t) for t in rows]

    def cases_of_person(self, person_id: uuid.UUID) -> Sequence[CaseSummary]:
        mine = select(Deelnemer.traject_id).where(Deelnemer.persoon_id == person_id)
        rows = db_session().scalars(
            select(Traject).where(Traject.id.in_(mine)).order_by(*NEWEST_FIRST)
        )
        return [_summary(t) for t in rows]

    def open_case_count(self) -> int:
        count = select(func.count()).select_from(Traject).where(Traject.fase != AFGEROND)
        return db_session().scalar(count) or 0

    def case_overview(self, case_id: uuid.UUID) -> CaseOverview:
        session = db_session()
        traject = _traject(case_id)
        contact = None
        if traject.regisseur_id is not None:
            user = users([traject.regisseur_id]).get(traject.regisseur_id)
            if user is not None:
                team = session.scalar(select(Team.name).where(Team.id == traject.team_id))
                contact = CaseManagerContact(
                    name=user.display_name, team_name=team or "", email=user.email
                )
        open_tasks = session.scalar(
            select(func.count())
            .select_from(Afspraak)
            .where(
                Afspraak.traject_id == traject.id,
                Afspraak.soort == "taak",
                Afspraak.wens_id.is_not(None),
                Afspraak.wie_soort == "inwoner",
                Afspraak.stand.in_(("open", "bezig")),
            )
        )
        _log(traject, "read")
        return CaseOverview(
            case=_summary(traject),
            person_ids=tuple(_deelnemers(traject)),
            case_manager=contact,
            open_actions_for_residents=open_tasks or 0,
        )

    # -- plan -------------------------------------------------------------------------------
    def current_plan(self, case_id: uuid.UUID) -> PlanView | None:
        traject = _traject(case_id)
        versies = _versies(traject)
        if not versies:
            return None
        _log(traject, "read")
        return _plan(traject, versies[0], _levend(traject))

    def plan_versions(self, case_id: uuid.UUID) -> Sequence[PlanVersionSummary]:
        versies = _versies(_traject(case_id))
        return [
            PlanVersionSummary(
                number=v.nummer,
                state=("agreed" if v.vastgesteld_op else "draft") if i == 0 else "superseded",
                agreed_on=v.vastgesteld_op,
                changes=tuple(v.wijzigingen or ()),
            )
            for i, v in enumerate(versies)
        ]

    def plan_version(self, case_id: uuid.UUID, number: int) -> PlanView:
        traject = _traject(case_id)
        versie = next((v for v in _versies(traject) if v.nummer == number), None)
        if versie is None or (versie.inhoud is None and versie.vastgesteld_op is not None):
            raise NotFound("Deze versie van de afsprakenlijst bestaat niet.", "number")
        regels = versie.inhoud if versie.inhoud is not None else _levend(traject)
        _log(traject, "read")
        return _plan(traject, versie, regels)

    def update_action(
        self,
        action_id: uuid.UUID,
        *,
        by_person_id: uuid.UUID,
        expected_version: int,
        status: str | None = None,
        comment: str | None = None,
    ) -> ActionView:
        session = db_session()
        taak = session.get(Afspraak, action_id)
        if taak is None or taak.soort != "taak" or taak.wens_id is None:
            raise NotFound("Deze afspraak bestaat niet.", "action_id")
        traject = _traject(taak.traject_id)
        person = _inwoner(traject, by_person_id)
        if taak.wie_soort != "inwoner" or taak.wie_persoon_id != by_person_id:
            raise Refused("Deze afspraak staat niet op uw naam.", "action_id")
        stand = terug(TAAK_STAND, status) if status is not None else taak.stand
        if status is not None and (status not in RESIDENT_ACTION_STATUSES or stand is None):
            raise Refused("Deze stand kunt u niet kiezen.", "status")
        if comment is not None and len(comment) > 2000:
            raise Refused("Uw opmerking is langer dan 2000 tekens.", "comment")
        if status is None and comment is None:
            raise Refused("Kies een stand of schrijf een opmerking.", "status")
        values: dict[str, Any] = {
            "stand": stand,
            "gewijzigd_op": utcnow(),
            "gewijzigd_door": f"inwoner {person.voornamen}",
            "versie": Afspraak.versie + 1,
        }
        if comment is not None:
            values["opmerking_inwoner"] = comment.strip() or None
        # One conditional UPDATE: a change by someone else in between is never overwritten.
        changed = session.execute(
            update(Afspraak)
            .where(Afspraak.id == taak.id, Afspraak.versie == expected_version)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        session.refresh(taak)
        if changed.rowcount != 1:  # type: ignore[attr-defined]
            raise Stale("Iemand anders heeft deze afspraak intussen gewijzigd.", taak.versie)
        _log(traject, "update")
        return lijst.action_view(lijst.regel(taak))

    def propose_goal(
        self, case_id: uuid.UUID, *, by_person_id: uuid.UUID, life_domain: str, text: str
    ) -> GoalView:
        traject = _traject(case_id)
        person = _inwoner(traject, by_person_id)
        if life_domain not in THEMAS:
            raise Refused("Kies een onderwerp uit de lijst.", "life_domain")
        if not text.strip() or len(text) > 1000:
            raise Refused("Beschrijf uw wens in hooguit 1000 tekens.", "text")
        if not _versies(traject):  # the first line starts the list's concept
            db_session().add(Lijstversie(traject_id=traject.id, nummer=1))
        wens = self._nieuw(traject, person, soort="wens", tekst=text.strip(), thema=life_domain)
        return lijst.goal_view(lijst.regel(wens))

    def propose_action(
        self,
        goal_id: uuid.UUID,
        *,
        by_person_id: uuid.UUID,
        description: str,
        due_on: dt.date | None = None,
    ) -> ActionView:
        wens = db_session().get(Afspraak, goal_id)
        if wens is None or wens.soort != "wens":
            raise NotFound("Deze wens bestaat niet.", "goal_id")
        traject = _traject(wens.traject_id)
        person = _inwoner(traject, by_person_id)
        if not description.strip() or len(description) > 1000:
            raise Refused("Beschrijf wat u gaat doen in hooguit 1000 tekens.", "description")
        if due_on is not None and due_on < dt.date.today():
            raise Refused("Kies een datum vanaf vandaag.", "due_on")
        taak = self._nieuw(
            traject,
            person,
            soort="taak",
            tekst=description.strip(),
            wens_id=wens.id,
            uiterlijk=due_on,
        )
        return lijst.action_view(lijst.regel(taak))

    def _nieuw(self, traject: Traject, person: Person, **fields: Any) -> Afspraak:
        """A line a resident proposes, on their own name, at the end of the list."""
        afspraak = Afspraak(
            id=uuid.uuid4(),
            traject_id=traject.id,
            volgnummer=_volgende(traject),
            wie_soort="inwoner",
            wie_persoon_id=person.id,
            wie_naam=_naam(person),
            stand="open",
            voorstel_van_id=person.id,
            voorstel_stand="nieuw",
            gewijzigd_op=utcnow(),
            gewijzigd_door=f"inwoner {person.voornamen}",
            versie=1,
            **fields,
        )
        db_session().add(afspraak)
        db_session().flush()
        _log(traject, "create")
        return afspraak

    def life_domains(self) -> Sequence[tuple[str, str]]:
        return list(THEMAS.items())

    # -- contact moments and appointments --------------------------------------------------
    def resident_contact_moments(self, case_id: uuid.UUID) -> Sequence[ContactMomentView]:
        traject = _traject(case_id)
        rows = db_session().scalars(
            select(Gesprek)
            .where(Gesprek.traject_id == traject.id, Gesprek.delen_met_inwoner.is_(True))
            .order_by(Gesprek.gevoerd_op.desc())
        )
        moments = [
            ContactMomentView(
                id=g.id,
                occurred_at=g.gevoerd_op,
                channel=VORM[g.vorm],  # type: ignore[arg-type]
                participants=g.aanwezig,
                summary=g.verslag,
            )
            for g in rows
        ]
        _log(traject, "read")
        return moments

    def request_appointment(
        self,
        case_id: uuid.UUID,
        *,
        by_person_id: uuid.UUID,
        subject: str,
        channel: str,
        preferred_moments: str,
    ) -> AppointmentRequestView:
        traject = _traject(case_id)
        person = _inwoner(traject, by_person_id)
        vorm = terug(VORM, channel)
        if vorm is None:
            raise Refused("Kies hoe u de afspraak wilt.", "channel")
        if not subject.strip() or len(subject) > 200:
            raise Refused("Vul een onderwerp in van hooguit 200 tekens.", "subject")
        if len(preferred_moments) > 500:
            raise Refused("Hooguit 500 tekens.", "preferred_moments")
        verzoek = Belverzoek(
            id=uuid.uuid4(),
            traject_id=traject.id,
            persoon_id=person.id,
            onderwerp=subject.strip(),
            vorm=vorm,
            voorkeur=preferred_moments.strip(),
            stand="nieuw",
            ingediend_op=utcnow(),
        )
        db_session().add(verzoek)
        db_session().flush()
        _log(traject, "create")
        return _request_view(verzoek)

    def appointment_requests(self, case_id: uuid.UUID) -> Sequence[AppointmentRequestView]:
        traject = _traject(case_id)
        rows = db_session().scalars(
            select(Belverzoek)
            .where(Belverzoek.traject_id == traject.id)
            .order_by(Belverzoek.ingediend_op.desc())
        )
        requests = [_request_view(v) for v in rows]
        _log(traject, "read")
        return requests

    # -- documents --------------------------------------------------------------------------
    def resident_documents(self, case_id: uuid.UUID) -> Sequence[DocumentView]:
        traject = _traject(case_id)
        rows = db_session().scalars(
            select(Bijlage)
            .where(
                Bijlage.traject_id == traject.id,
                or_(Bijlage.gedeeld.is_(True), Bijlage.van_inwoner_id.is_not(None)),
            )
            .order_by(Bijlage.toegevoegd_op.desc())
        )
        documents = [_document_view(b) for b in rows]
        _log(traject, "read")
        return documents

    def open_resident_document(self, document_id: uuid.UUID) -> tuple[DocumentView, bytes]:
        bijlage = db_session().get(Bijlage, document_id)
        if bijlage is None or not (bijlage.gedeeld or bijlage.van_inwoner_id is not None):
            raise NotFound("Dit document bestaat niet.", "document_id")
        try:
            content = file_store().get(bijlage.sleutel)
        except KeyError:
            raise NotFound("Dit document is niet meer beschikbaar.", "document_id") from None
        _log(_traject(bijlage.traject_id), "read")
        return _document_view(bijlage), content

    def add_resident_document(
        self, case_id: uuid.UUID, *, by_person_id: uuid.UUID, filename: str, content: bytes
    ) -> DocumentView:
        traject = _traject(case_id)
        person = _inwoner(traject, by_person_id)
        try:
            limit = module_settings(MODULE).max_upload_mb  # type: ignore[attr-defined]
            checked = check_upload(filename, content, max_bytes=limit * 1024 * 1024)
        except UploadRefused as refused:
            raise Refused(str(refused), "file") from None
        bijlage = Bijlage(
            id=uuid.uuid4(),
            traject_id=traject.id,
            naam=checked.filename or "document",
            soort_inhoud=checked.content_type,
            grootte=checked.size,
            sleutel=file_store().put(content),
            gedeeld=True,
            van_inwoner_id=person.id,
            toegevoegd_op=utcnow(),
        )
        db_session().add(bijlage)
        db_session().flush()
        _log(traject, "create")
        return _document_view(bijlage)

    # -- allocations and authorisation -------------------------------------------------------
    def allocations_of_person(self, person_id: uuid.UUID) -> Sequence[AllocationSummary]:
        rows = list(
            db_session().scalars(
                select(Voorziening)
                .where(Voorziening.persoon_id == person_id)
                .order_by(Voorziening.aangemaakt_op.desc())
            )
        )
        if rows:
            audit.record("read", INZIEN, "person", [person_id], module=MODULE)
        return [
            AllocationSummary(
                id=v.id,
                person_id=v.persoon_id,
                law=WET[v.wet],  # type: ignore[arg-type]
                product_category=v.categorie,
                provider_name=v.aanbieder,
                provider_agb=v.agb,
                status=VOORZIENING_FASE[v.fase],  # type: ignore[arg-type]
                start_on=v.begint_op,
                end_on=v.eindigt_op,
            )
            for v in rows
        ]

    def person_relation(self, actor: Actor) -> ColumnElement[bool] | None:
        """Staff are related to the persons of the trajectories of their current teams and
        of those they direct (regisseur); nobody else is, through AnderZorg."""
        if actor.kind is not ActorKind.USER or actor.id is None:
            return None
        related = [Traject.regisseur_id == actor.id]
        if actor.team_ids:
            related.append(Traject.team_id.in_(actor.team_ids))
        trajecten = select(Traject.id).where(or_(*related))
        persons = select(Deelnemer.persoon_id).where(Deelnemer.traject_id.in_(trajecten))
        return Person.id.in_(persons)
