"""This module's implementation of the `casemanagement` capability (protocol version 1.0)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import func, select

from openregie_casemanagement.models import CLOSED, Case
from openregie_sdk import db_session
from openregie_sdk.capabilities.casemanagement import CaseSummary


class CaseManagementProvider:
    def cases_of_household(self, household_id: uuid.UUID) -> Sequence[CaseSummary]:
        rows = db_session().scalars(
            select(Case)
            .where(Case.household_id == household_id)
            .order_by(Case.opened_on.desc(), Case.created_at.desc())
        )
        return [
            CaseSummary(
                id=c.id,
                household_id=c.household_id,
                title=c.title,
                status=c.status,
                opened_on=c.opened_on,
                closed_on=c.closed_on,
            )
            for c in rows
        ]

    def open_case_count(self) -> int:
        return db_session().scalar(select(func.count()).where(Case.status != CLOSED)) or 0
