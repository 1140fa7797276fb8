"""Dutch labels for the code values stored in the registry (`{{ member.role|label }}`)."""

from __future__ import annotations

from flask_babel import gettext

LABELS = {
    # household roles
    "parent": "ouder",
    "child": "kind",
    "partner": "partner",
    "carer": "verzorger",
    "other": "anders",
    # legal representation
    "parental_authority": "gezag",
    "guardianship": "voogdij",
    "curatele": "curatele",
    "bewindvoering": "bewindvoering",
    "mentorship": "mentorschap",
    # module states
    "installed": "niet aangezet",
    "loaded": "actief",
    "incompatible": "niet compatibel",
    "failed": "mislukt",
    "blocked": "geblokkeerd",
    # team kinds
    "youth_family": "jeugd en gezin",
    "adults": "volwassenen",
    "integral": "integraal",
}


def label(code: str | None) -> str:
    """The Dutch (translatable) label of a code; unknown codes are shown as they are."""
    if code is None:
        return "–"
    text = LABELS.get(code)
    return gettext(text) if text else code
