"""The `consent` capability, version 1: may this recipient receive this data for this purpose?

Consumers obtain the provider with `openregie_sdk.capability("consent")` when it is present
(the platform works without it). A decision is made at a moment, so withdrawal and expiry
take effect on the very next check. The provider applies no authorisation of its own.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict


class ConsentDecision(BaseModel):
    """The answer to a consent check: `granted`, and in Dutch why (shown to professionals)."""

    model_config = ConfigDict(frozen=True)

    granted: bool
    reason: str
    consent_id: uuid.UUID | None = None


@runtime_checkable
class Consent(Protocol):
    def decide(
        self,
        subject_id: uuid.UUID,
        recipient_id: uuid.UUID,
        purpose: str,
        at: dt.datetime,
    ) -> ConsentDecision:
        """Whether `subject_id` has a consent in force at `at` for `purpose` towards
        `recipient_id` (an organisation, team or external party). No record means not granted.
        `at` must be timezone-aware; a naive datetime raises ValueError. The most recently
        recorded statement for the triple decides, so a withdrawal outweighs an older consent."""
        ...
