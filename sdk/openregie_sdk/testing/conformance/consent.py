"""The conformance suite of the `consent` capability (protocol version 1.2).

Any provider of `openregie_sdk.capabilities.consent.Consent` proves that it follows the
protocol's rules by subclassing `ConsentConformance` in its own tests. The suite builds
the registry part of a small world itself (`World`: a parent, children of 8, 14 and 17
with the parent holding parental authority, an unrelated adult, an organisation, a team
and a professional) and then calls the provider exactly as consumers do,
`openregie_sdk.capability("consent")`, inside an application context whose `db_session()`
is the SDK's `db` fixture session. The capability has its own write methods, so the
provider writes no scenario of its own.

How a vendor uses it::

    from openregie_sdk.testing.conformance.consent import ConsentConformance


    class TestConformance(ConsentConformance):
        modules = ("acme_consent",)  # the modules the `app` fixture enables
        gating_purpose = "team_partner"  # a configured purpose that gates the relation
        other_purpose = "plan_school"  # a configured purpose that gates nothing

The provider's configuration must hold both purposes; `gating_purpose` gates
`RELATION_INVOLVED_OUTSIDE_TEAM` and covers at least one data category. Run the suite with
the SDK's pytest plugin active (it uses the `app` and `db` fixtures).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any, ClassVar

import pytest
from sqlalchemy import bindparam, select

from openregie_sdk import capability
from openregie_sdk.capabilities.consent import (
    RELATION_INVOLVED_OUTSIDE_TEAM,
    Consent,
    NotFound,
    Refused,
)
from openregie_sdk.db import UtcDateTime
from openregie_sdk.registry import LegalRepresentation, Organisation, Person, Team
from openregie_sdk.testing.plugin import create_test_user

__all__ = ["ConsentConformance", "World"]

SPEAKERS = "given_by_person_ids"


@dataclass(frozen=True)
class World:
    """The registry rows the suite creates (committed) before each test."""

    parent_id: uuid.UUID
    """An adult holding parental authority over the three children."""
    child_id: uuid.UUID
    """8 years old."""
    teen_id: uuid.UUID
    """14 years old."""
    youth_id: uuid.UUID
    """17 years old."""
    stranger_id: uuid.UUID
    """An adult who represents no one."""
    organisation_id: uuid.UUID
    team_id: uuid.UUID
    professional_id: uuid.UUID


def _born(years: int) -> dt.date:
    today = dt.date.today()
    return dt.date(today.year - years, 1, 1) if (today.month, today.day) >= (1, 1) else today


class ConsentConformance:
    """Subclass as `Test...`; set `modules`, `gating_purpose` and `other_purpose`."""

    modules: ClassVar[tuple[str, ...]] = ()
    gating_purpose: ClassVar[str] = ""
    other_purpose: ClassVar[str] = ""

    # -- fixtures -----------------------------------------------------------------------------
    @pytest.fixture
    def openregie_modules(self, openregie_modules: list[str] | None) -> list[str] | None:
        return list(self.modules) if self.modules else openregie_modules

    @pytest.fixture
    def world(self, app: Any, db: Any) -> World:
        tag = uuid.uuid4().hex[:6]
        professional = create_test_user(app, "professional", roles=[], display_name="Sanne")

        def person(first: str, years: int) -> Person:
            return Person(
                id=uuid.uuid4(),
                voornamen=first,
                geslachtsnaam="Conform",
                search_name="conform",
                birth_date=_born(years),
            )

        parent, child, teen = person("Anna", 40), person("Tim", 8), person("Lotte", 14)
        youth, stranger = person("Sem", 17), person("Karel", 50)
        organisation = Organisation(id=uuid.uuid4(), name=f"Jeugdzorg {tag}")
        team = Team(id=uuid.uuid4(), name=f"Team Conform {tag}", kind="integral")
        db.add_all([parent, child, teen, youth, stranger, organisation, team])
        db.flush()
        db.add_all(
            [
                LegalRepresentation(
                    representative_id=parent.id,
                    represented_id=minor.id,
                    kind="parental_authority",
                    start_on=minor.birth_date,
                )
                for minor in (child, teen, youth)
            ]
        )
        db.commit()
        return World(
            parent_id=parent.id,
            child_id=child.id,
            teen_id=teen.id,
            youth_id=youth.id,
            stranger_id=stranger.id,
            organisation_id=organisation.id,
            team_id=team.id,
            professional_id=professional.id,
        )

    @pytest.fixture
    def provider(self, app: Any, db: Any) -> Consent:
        found = capability("consent")
        assert found is not None, "no loaded module provides the consent capability"
        return found

    # -- helpers ------------------------------------------------------------------------------
    def give(self, provider: Consent, world: World, subject: uuid.UUID, by: list[uuid.UUID],
             **fields: Any) -> Any:  # fmt: skip
        fields.setdefault("purpose", self.gating_purpose)
        fields.setdefault("status", "given")
        fields.setdefault("obtained", "written")
        return provider.record(
            subject,
            recipient_id=world.organisation_id,
            recipient_kind="organisation",
            given_by_person_ids=by,
            recorded_by_user_id=world.professional_id,
            **fields,
        )

    def refused_on(self, field: str, call: Any) -> None:
        with pytest.raises(Refused) as refused:
            call()
        assert refused.value.field == field, f"refused on {refused.value.field!r}, not {field!r}"

    # -- purposes -----------------------------------------------------------------------------
    def test_provider_satisfies_the_protocol(self, provider):
        assert isinstance(provider, Consent)

    def test_purposes_say_what_they_gate(self, provider):
        codes = {p.code: p for p in provider.purposes()}
        assert self.gating_purpose in codes and self.other_purpose in codes
        assert RELATION_INVOLVED_OUTSIDE_TEAM in codes[self.gating_purpose].gates
        assert codes[self.gating_purpose].data_categories
        assert self.gating_purpose in provider.gated_purposes(RELATION_INVOLVED_OUTSIDE_TEAM)
        assert list(provider.gated_purposes("nothing.gates.this")) == []

    # -- decisions and history ----------------------------------------------------------------
    def test_without_a_record_consent_is_not_granted(self, provider, world):
        now = dt.datetime.now(dt.UTC)
        decision = provider.decide(world.parent_id, world.organisation_id, self.gating_purpose, now)
        assert decision.granted is False and decision.reason

    def test_given_then_withdrawn_is_history_and_decides_on_the_next_check(
        self, provider, world, db
    ):
        given = self.give(provider, world, world.parent_id, [world.parent_id])
        db.commit()
        assert given.status == "given" and given.in_force
        assert given.valid_until is not None and given.valid_until > given.valid_from
        now = dt.datetime.now(dt.UTC)
        args = (world.parent_id, world.organisation_id, self.gating_purpose)
        assert provider.decide(*args, now).granted
        withdrawn = self.give(
            provider, world, world.parent_id, [world.parent_id], status="withdrawn"
        )
        db.commit()
        assert withdrawn.status == "withdrawn" and not withdrawn.in_force
        assert not provider.decide(*args, dt.datetime.now(dt.UTC)).granted
        current = provider.consents_of(world.parent_id)
        assert [c.id for c in current] == [withdrawn.id]
        history = provider.consents_of(world.parent_id, history=True)
        assert [c.id for c in history] == [withdrawn.id, given.id]
        assert history[1].status == "given"  # the old version is unchanged

    def test_a_moment_without_time_zone_is_refused(self, provider, world):
        with pytest.raises(ValueError, match=r"(?i)time ?zone"):
            provider.decide(
                world.parent_id,
                world.organisation_id,
                self.gating_purpose,
                dt.datetime(2026, 1, 1),  # naive
            )

    # -- the age rules ------------------------------------------------------------------------
    def test_under_twelve_the_parent_decides_not_the_child(self, provider, world, db):
        self.refused_on(
            SPEAKERS, lambda: self.give(provider, world, world.child_id, [world.child_id])
        )
        db.rollback()
        assert self.give(provider, world, world.child_id, [world.parent_id]).in_force

    def test_from_twelve_to_fifteen_the_child_and_the_parent_give_together(
        self, provider, world, db
    ):
        for alone in ([world.teen_id], [world.parent_id]):
            self.refused_on(SPEAKERS, lambda a=alone: self.give(provider, world, world.teen_id, a))
            db.rollback()
        both = self.give(provider, world, world.teen_id, [world.teen_id, world.parent_id])
        assert both.in_force
        db.commit()
        # either may withdraw
        assert self.give(provider, world, world.teen_id, [world.teen_id], status="withdrawn")

    def test_from_sixteen_the_youth_decides_alone(self, provider, world, db):
        self.refused_on(
            SPEAKERS, lambda: self.give(provider, world, world.youth_id, [world.parent_id])
        )
        db.rollback()
        assert self.give(provider, world, world.youth_id, [world.youth_id]).in_force

    def test_a_representative_without_authority_is_refused(self, provider, world, db):
        self.refused_on(
            SPEAKERS, lambda: self.give(provider, world, world.parent_id, [world.stranger_id])
        )
        db.rollback()
        self.refused_on(SPEAKERS, lambda: self.give(provider, world, world.parent_id, []))

    # -- bad input ----------------------------------------------------------------------------
    def test_bad_input_is_refused_naming_the_field_and_nothing_is_written(
        self, provider, world, db
    ):
        now = dt.datetime.now(dt.UTC)
        self.refused_on(
            "purpose",
            lambda: self.give(provider, world, world.parent_id, [world.parent_id], purpose="nope"),
        )
        self.refused_on(
            "valid_until",
            lambda: self.give(
                provider,
                world,
                world.parent_id,
                [world.parent_id],
                valid_from=now,
                valid_until=now - dt.timedelta(days=1),
            ),
        )
        self.refused_on(
            "status",
            lambda: self.give(
                provider, world, world.parent_id, [world.parent_id], status="withdrawn"
            ),
        )
        with pytest.raises(NotFound) as missing:
            self.give(provider, world, uuid.uuid4(), [world.parent_id])
        assert missing.value.field == "subject_id"
        db.rollback()
        assert list(provider.consents_of(world.parent_id, history=True)) == []

    # -- enforcement --------------------------------------------------------------------------
    def test_shared_condition_selects_exactly_the_consenting_subjects(self, provider, world, db):
        self.give(provider, world, world.parent_id, [world.parent_id])
        self.give(provider, world, world.youth_id, [world.youth_id])
        self.give(provider, world, world.youth_id, [world.youth_id], status="withdrawn")
        db.commit()
        ids = [world.parent_id, world.youth_id, world.stranger_id]

        def selected(relation: str, recipients: Any, actor_id: uuid.UUID | None = None) -> set:
            now = dt.datetime.now(dt.UTC)  # each check at its own moment
            condition = provider.shared_condition(
                relation, Person.id, recipients, now, actor_id=actor_id
            )
            return set(db.scalars(select(Person.id).where(Person.id.in_(ids), condition)))

        gated = RELATION_INVOLVED_OUTSIDE_TEAM
        assert selected(gated, [world.organisation_id]) == {world.parent_id}
        assert selected(gated, [world.team_id]) == set()
        assert selected(
            gated, select(Organisation.id).where(Organisation.id == world.organisation_id)
        ) == {world.parent_id}
        assert selected("nothing.gates.this", [world.team_id]) == set(ids)
        # an override in force covers its subject for its actor only
        provider.record_override(
            [world.stranger_id],
            user_id=world.professional_id,
            reason="Veiligheid van een kind",
            hours=2,
        )
        db.commit()
        assert selected(gated, [world.organisation_id], world.professional_id) == {
            world.parent_id,
            world.stranger_id,
        }
        assert selected(gated, [world.organisation_id], uuid.uuid4()) == {world.parent_id}
        assert [o.subject_id for o in provider.overrides_of(world.stranger_id)] == [
            world.stranger_id
        ]

    def test_shared_condition_built_once_takes_its_moment_at_execution(self, provider, world, db):
        """Since 1.2: `at` may be a SQL expression (here a bind parameter whose value is
        read when the statement runs), and `condition_key` is a stable hashable value."""
        now = dt.datetime.now(dt.UTC)
        self.give(
            provider, world, world.parent_id, [world.parent_id],
            valid_until=now + dt.timedelta(days=1),
        )  # fmt: skip
        db.commit()
        moment = [dt.datetime.now(dt.UTC)]  # after the consent's valid_from
        at = bindparam("conformance_at", type_=UtcDateTime(), callable_=lambda: moment[0])
        condition = provider.shared_condition(
            RELATION_INVOLVED_OUTSIDE_TEAM, Person.id, [world.organisation_id], at
        )
        query = select(Person.id).where(Person.id.in_([world.parent_id]), condition)
        assert set(db.scalars(query)) == {world.parent_id}
        moment[0] = now + dt.timedelta(days=2)  # the same condition, a later execution
        assert set(db.scalars(query)) == set()
        key = provider.condition_key(RELATION_INVOLVED_OUTSIDE_TEAM)
        assert hash(key) == hash(provider.condition_key(RELATION_INVOLVED_OUTSIDE_TEAM))
        assert key == provider.condition_key(RELATION_INVOLVED_OUTSIDE_TEAM)

    def test_an_override_needs_a_reason_and_a_limited_duration(self, provider, world, db):
        def override(reason: str, hours: int) -> Any:
            return provider.record_override(
                [world.parent_id], user_id=world.professional_id, reason=reason, hours=hours
            )

        self.refused_on("reason", lambda: override("", 4))
        self.refused_on("hours", lambda: override("Veiligheid van een kind", 0))
        self.refused_on("hours", lambda: override("Veiligheid van een kind", 100000))
        db.rollback()
        assert list(provider.overrides_of(world.parent_id)) == []
