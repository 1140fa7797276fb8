"""The audit log (verwerkingenlogging) as modules use it: record what you process, and ask
who processed a person's data.

Core keeps the log: append-only, hash-chained, one record per action per data subject
(reads included), after the Logboek Dataverwerkingen standard, with the actor in a linked
security record per request or command. Modules record their own actions here.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from openregie_sdk.runtime import runtime

STATUSES = ("ok", "denied", "error")


@dataclass(frozen=True, slots=True)
class AccessEntry:
    """One processing of a person's data, as a resident may see it: when, by which kind of
    actor, in which organisation and role, and what (action and processing activity).
    The professional's name is left out on purpose; the functional admin's log shows it."""

    at: dt.datetime
    actor_kind: str
    organisation_id: uuid.UUID | None
    organisation_name: str | None
    role: str | None
    action: str
    processing_activity: str
    module: str


def record(
    action: str,
    processing_activity: str,
    subject_type: str,
    subject_ids: Iterable[uuid.UUID | str | int],
    status: str = "ok",
    module: str | None = None,
) -> None:
    """Record that the current actor performed `action` (e.g. "read", "search", "create",
    "update", "delete", "export") for `processing_activity` (a name for the purpose, by
    convention the permission used, e.g. "consent.record.read") on each of the data
    subjects `subject_ids` of kind `subject_type` ("person" with the person's UUID makes it
    show in `accessed_by`; "household", "case", ... for others). `module` is the id of the
    module acting; by default the module whose blueprint serves the request, else "core" —
    pass yours from hooks, commands and jobs.

    Call it inside a request, command or job, once per action, with every subject the action
    touched: a page listing 25 persons records 25 subjects in one call. Duplicate ids are
    recorded once; an empty collection records nothing.

    When it is written: with the next commit of `db_session()`, in the same transaction (so
    record a change before you commit it, and the change and its record commit or roll
    back together); otherwise at the end of the request or command, on their own. A rollback
    or a failure before then turns "ok" into "error": the log never says "ok" for a change
    that did not happen. `status` is "ok", "denied" or "error".

    Raises ValueError (bad status, empty or too long text, a module that is not loaded) or
    TypeError (a single id instead of a collection, an id that is not a UUID, str or int)
    at the call, never at commit; RuntimeError outside an application.
    """
    runtime().record_audit(
        action, processing_activity, subject_type, subject_ids, status=status, module=module
    )


def accessed_by(person_id: uuid.UUID, *, limit: int = 200) -> list[AccessEntry]:
    """Who processed the data of person `person_id`: "ok" records with subject type "person",
    newest first, at most `limit`. For a resident-facing page ("who looked at my data"):
    the caller decides whether the current actor may see this (the person, or their legal
    representative) and records that it showed it. RuntimeError outside an application."""
    return runtime().accessed_by(person_id, limit=limit)
