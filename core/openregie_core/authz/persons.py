"""Who may see which persons: one SQL predicate over `core_person`, used by detail, list,
search and export alike, so what a list shows is exactly what detail allows.

A person is visible to an actor who holds `core.person.read` when a relation exists:
one contributed by a module through `openregie_person_relations` (e.g. "member of a
household with a case of one of my teams"), or — for those who hold
`core.registry.manage` — residence in a municipality where they hold it.
"""

from __future__ import annotations

import uuid

from sqlalchemy import ColumnElement, false, or_, select, true
from sqlalchemy.orm import Session

from openregie_core.hooks.facade import Hooks
from openregie_sdk.actors import Actor
from openregie_sdk.registry import Person

READ = "core.person.read"
REGISTRY = "core.registry.manage"


def person_visibility(actor: Actor, hooks: Hooks) -> ColumnElement[bool]:
    if not actor.holds(READ):
        return false()
    clauses: list[ColumnElement[bool]] = list(hooks.person_relations(actor))
    registry = actor.scope_of(REGISTRY)
    if registry.everywhere:
        clauses.append(true())
    elif registry.municipality_ids:
        clauses.append(Person.municipality_id.in_(registry.municipality_ids))
    return or_(*clauses) if clauses else false()


def person_is_visible(session: Session, actor: Actor, hooks: Hooks, person_id: uuid.UUID) -> bool:
    """The detail check: the list predicate applied to one id (one statement)."""
    predicate = person_visibility(actor, hooks)
    found = session.scalar(select(Person.id).where(Person.id == person_id, predicate))
    return found is not None
