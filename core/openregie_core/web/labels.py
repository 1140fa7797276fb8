"""Dutch labels for the code values stored in the registry (`{{ member.role|label }}`)."""

from __future__ import annotations

from flask_babel import gettext

from openregie_core.i18n import N_

LABELS = {
    # household roles
    "parent": N_("ouder"),
    "child": N_("kind"),
    "partner": N_("partner"),
    "carer": N_("verzorger"),
    "other": N_("anders"),
    # legal representation
    "parental_authority": N_("gezag"),
    "guardianship": N_("voogdij"),
    "curatele": N_("curatele"),
    "bewindvoering": N_("bewindvoering"),
    "mentorship": N_("mentorschap"),
    # module states
    "installed": N_("niet aangezet"),
    "loaded": N_("actief"),
    "incompatible": N_("niet compatibel"),
    "failed": N_("mislukt"),
    "blocked": N_("geblokkeerd"),
    # team kinds
    "youth_family": N_("jeugd en gezin"),
    "adults": N_("volwassenen"),
    "integral": N_("integraal"),
}


def label(code: str | None) -> str:
    """The Dutch (translatable) label of a code; unknown codes are shown as they are."""
    if code is None:
        return "–"
    text = LABELS.get(code)
    return gettext(text) if text else code
