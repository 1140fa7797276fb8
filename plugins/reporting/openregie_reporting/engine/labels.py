"""What a reader sees instead of codes and ids: the Dutch name of each dimension, the label
of each coded value (`MetricDefinition.labels`, translated) and the name of a team,
organisation, area or municipality a metric gives by id (looked up in the registry).

Core's and case management's metrics already give names for teams, organisations and
municipalities; the look-up is for modules that give ids."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import select

from openregie_reporting.engine.sections import N_

DIMENSION_LABELS = {
    "team": N_("Team"),
    "team_id": N_("Team"),
    "organisation": N_("Organisatie"),
    "organisation_id": N_("Organisatie"),
    "area": N_("Wijk"),
    "area_id": N_("Wijk"),
    "municipality": N_("Gemeente"),
    "municipality_id": N_("Gemeente"),
    "life_domain": N_("Leefgebied"),
    "referral_source": N_("Verwijzer"),
    "closure_reason": N_("Reden van afsluiten"),
    "status": N_("Status"),
    "law": N_("Wet"),
    "product_category": N_("Productcategorie"),
    "provider": N_("Zorgaanbieder"),
    "help": N_("Soort hulp"),
}
# Dimensions whose values may be registry ids, and the registry class naming them.
_REGISTRY = {
    "team": "Team",
    "organisation": "Organisation",
    "area": "Area",
    "municipality": "Municipality",
}


def translate(text: str) -> str:
    """`text` in the reader's language (the msgid outside a request or application)."""
    try:
        from flask_babel import gettext

        return str(gettext(text))
    except (RuntimeError, KeyError, ImportError):
        return text


def dimension_label(name: str) -> str:
    return translate(DIMENSION_LABELS.get(name, name.replace("_", " ").capitalize()))


def _registry_kind(dimension: str) -> str | None:
    return _REGISTRY.get(dimension.removesuffix("_id"))


def _as_uuid(value: Any) -> uuid.UUID | None:
    if isinstance(value, uuid.UUID):
        return value
    if isinstance(value, str) and len(value) in (32, 36):
        try:
            return uuid.UUID(value)
        except ValueError:
            return None
    return None


def registry_names(pairs: Iterable[tuple[str, Any]]) -> dict[uuid.UUID, str]:
    """The names of the registry ids among `(dimension, value)` pairs (one query per kind
    of registry record); values that are not ids are left out."""
    from openregie_sdk import db_session, registry

    wanted: dict[str, set[uuid.UUID]] = {}
    for dimension, value in pairs:
        kind = _registry_kind(dimension)
        found = _as_uuid(value) if kind else None
        if kind and found:
            wanted.setdefault(kind, set()).add(found)
    names: dict[uuid.UUID, str] = {}
    for kind, ids in wanted.items():
        model = getattr(registry, kind)
        rows = db_session().execute(select(model.id, model.name).where(model.id.in_(ids)))
        names.update({row.id: row.name for row in rows})
    return names


def value_label(
    dimension: str,
    value: Any,
    labels: Mapping[str, Mapping[str, str]],
    names: Mapping[uuid.UUID, str],
) -> Any:
    """The shown value of one dimension value: its translated label, the registry name
    of an id, or the value itself (None: "onbekend")."""
    if value is None:
        return translate(N_("onbekend"))
    coded = labels.get(dimension, {})
    if isinstance(value, str) and value in coded:
        return translate(coded[value])
    found = _as_uuid(value) if _registry_kind(dimension) else None
    if found is not None:
        return names.get(found, translate(N_("onbekend")))
    return value
