"""The `casemanagement` capability, version 1: cases of households as other modules see them.

Consumers (the portal, reporting, vendors' modules) obtain the provider with
`openregie_sdk.capability("casemanagement")` and use only what this protocol declares, so
any provider that passes `openregie_sdk.testing.conformance.casemanagement` can replace ours.
Every method runs inside the current request's database session and applies no
authorisation of its own: the caller checks what the actor may see.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict


class CaseSummary(BaseModel):
    """A case as other modules see it: no notes, no plan content."""

    model_config = ConfigDict(frozen=True)

    id: uuid.UUID
    household_id: uuid.UUID
    title: str
    status: str
    opened_on: dt.date
    closed_on: dt.date | None = None


@runtime_checkable
class CaseManagement(Protocol):
    def cases_of_household(self, household_id: uuid.UUID) -> Sequence[CaseSummary]:
        """All cases of a household, newest first; an unknown household gives []."""
        ...

    def open_case_count(self) -> int:
        """The number of cases not closed, over the whole installation."""
        ...
