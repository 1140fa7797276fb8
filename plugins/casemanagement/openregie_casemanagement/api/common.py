"""What the API's operation files share: the base models of bodies and answers, and the
path of a case."""

from __future__ import annotations

import uuid

from pydantic import BaseModel, ConfigDict


class InModel(BaseModel):
    """A request body: unknown fields are refused."""

    model_config = ConfigDict(extra="forbid")


class OutModel(BaseModel):
    """An answer, read from the attributes of a row or view."""

    model_config = ConfigDict(from_attributes=True)


class CasePath(BaseModel):
    case_id: uuid.UUID
