"""AnderZorg's own code lists, and how each maps onto the `casemanagement` capability's
vocabulary (the capability's codes are English; AnderZorg's are its own Dutch ones)."""

from __future__ import annotations

# Themes of the list (life domains), in display order, with their Dutch labels.
THEMAS: dict[str, str] = {
    "geld": "Geld en schulden",
    "wonen": "Wonen",
    "gezin": "Opvoeden en gezin",
    "gezondheid": "Gezondheid",
    "werk": "Werk en dagbesteding",
}
AFGEROND = "afgerond"
TAAK_STAND = {"open": "open", "bezig": "in_progress", "klaar": "done", "vervallen": "cancelled"}
WENS_STAND = {
    "open": "open",
    "bezig": "in_progress",
    "bereikt": "achieved",
    "niet_bereikt": "not_achieved",
    "vervallen": "cancelled",
}
WIE = {"inwoner": "resident", "medewerker": "professional", "extern": "external"}
VOORSTEL = {"nieuw": "proposed", "overgenomen": "accepted", "besproken": "discussed"}
VORM = {
    "huisbezoek": "home_visit",
    "spreekuur": "office",
    "telefoon": "phone",
    "beeldbellen": "video",
    "bericht": "message",
}
BELVERZOEK_STAND = {"nieuw": "open", "gepland": "scheduled", "afgehandeld": "closed"}
WET = {"wmo": "wmo", "jw": "jeugdwet"}
VOORZIENING_FASE = {
    "aangevraagd": "requested",
    "toegekend": "allocated",
    "gestart": "started",
    "gestopt": "stopped",
}


def terug(mapping: dict[str, str], value: str) -> str | None:
    """AnderZorg's code for the capability's `value`, or None when it has none."""
    return next((ours for ours, theirs in mapping.items() if theirs == value), None)
