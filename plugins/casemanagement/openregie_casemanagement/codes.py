"""The code lists of case management: values stored in the database (English codes) and
their Dutch labels for the UI (translated through the module's catalogue).

`N_` marks a label for extraction without translating it at import time."""

from __future__ import annotations


def N_(text: str) -> str:
    return text


# The status workflow of a case and the transitions allowed from each status.
STATUSES = {
    "aanmelding": N_("Aanmelding"),
    "intake": N_("Intake"),
    "plan": N_("Plan"),
    "uitvoering": N_("Uitvoering"),
    "evaluatie": N_("Evaluatie"),
    "afgesloten": N_("Afgesloten"),
}
OPEN_STATUSES = ("aanmelding", "intake", "plan", "uitvoering", "evaluatie")
CLOSED = "afgesloten"
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "aanmelding": ("intake", "afgesloten"),
    "intake": ("plan", "afgesloten"),
    "plan": ("uitvoering", "afgesloten"),
    "uitvoering": ("evaluatie", "afgesloten"),
    "evaluatie": ("uitvoering", "plan", "afgesloten"),
    "afgesloten": (),  # reopening is its own step (`reopen`), back to intake
}
REOPEN_TO = "intake"

CLOSURE_REASONS = {
    "doelen_bereikt": N_("Doelen bereikt"),
    "overgedragen": N_("Overgedragen aan andere hulp"),
    "verhuisd": N_("Verhuisd buiten het werkgebied"),
    "gestopt_door_inwoner": N_("Gestopt op verzoek van de inwoner"),
    "geen_hulpvraag": N_("Geen hulpvraag (meer)"),
    "overleden": N_("Overleden"),
    "anders": N_("Anders"),
}

REFERRAL_SOURCES = {
    "self": N_("Inwoner zelf"),
    "gp": N_("Huisarts"),
    "school": N_("School"),
    "veilig_thuis": N_("Veilig Thuis"),
    "police": N_("Politie"),
    "other": N_("Anders"),
}

URGENCIES = {
    "normal": N_("Normaal"),
    "high": N_("Hoog"),
    "crisis": N_("Crisis"),
}

# The life domains of the self-sufficiency matrix (ZRM), in its order.
LIFE_DOMAINS = {
    "finances": N_("Financiën"),
    "daytime_activities": N_("Werk en dagbesteding"),
    "housing": N_("Huisvesting"),
    "domestic_relations": N_("Huiselijke relaties"),
    "mental_health": N_("Geestelijke gezondheid"),
    "physical_health": N_("Lichamelijke gezondheid"),
    "addiction": N_("Verslaving"),
    "daily_living": N_("Activiteiten van het dagelijks leven"),
    "social_network": N_("Sociaal netwerk"),
    "participation": N_("Maatschappelijke participatie"),
    "justice": N_("Justitie"),
    "parenting": N_("Opvoeding"),
    "education": N_("Onderwijs"),
}
ZRM_SCORES = {
    1: N_("1 — acute problematiek"),
    2: N_("2 — niet zelfredzaam"),
    3: N_("3 — beperkt zelfredzaam"),
    4: N_("4 — voldoende zelfredzaam"),
    5: N_("5 — volledig zelfredzaam"),
}
ZRM_MOMENTS = {"intake": N_("Intake"), "evaluation": N_("Evaluatie")}

GOAL_STATUSES = {
    "open": N_("Open"),
    "in_progress": N_("Bezig"),
    "achieved": N_("Bereikt"),
    "not_achieved": N_("Niet bereikt"),
    "cancelled": N_("Vervallen"),
}
ACTION_STATUSES = {
    "open": N_("Open"),
    "in_progress": N_("Bezig"),
    "done": N_("Gedaan"),
    "cancelled": N_("Vervallen"),
}
PARTY_KINDS = {
    "resident": N_("Gezinslid"),
    "professional": N_("Professional"),
    "external": N_("Externe betrokkene"),
}
PROPOSAL_STATES = {
    "proposed": N_("Voorstel van het gezin"),
    "accepted": N_("Overgenomen"),
    "discussed": N_("Besproken, niet overgenomen"),
}

CHANNELS = {
    "home_visit": N_("Huisbezoek"),
    "office": N_("Op kantoor"),
    "phone": N_("Telefoon"),
    "video": N_("Beeldbellen"),
    "message": N_("Bericht"),
}

# Who may read a note: only the case manager (and the team lead), the case's team, or
# everyone involved (the team plus involved professionals from other organisations).
CONFIDENTIALITY = {
    "case_manager": N_("Alleen casusregisseur"),
    "case_team": N_("Casusteam"),
    "all_involved": N_("Alle betrokkenen"),
}

LAWS = {"wmo": N_("Wmo"), "jeugdwet": N_("Jeugdwet")}
PRODUCT_CATEGORIES = {
    "begeleiding": N_("Begeleiding"),
    "dagbesteding": N_("Dagbesteding"),
    "huishoudelijke_hulp": N_("Huishoudelijke hulp"),
    "hulpmiddelen": N_("Hulpmiddelen en woningaanpassingen"),
    "jeugdhulp_ambulant": N_("Jeugdhulp ambulant"),
    "jeugdhulp_verblijf": N_("Jeugdhulp met verblijf"),
    "jeugd_ggz": N_("Jeugd-ggz"),
    "beschermd_wonen": N_("Beschermd wonen"),
    "vervoer": N_("Vervoer"),
}
ALLOCATION_STATUSES = {
    "requested": N_("Aangevraagd"),
    "allocated": N_("Toegekend"),
    "started": N_("Gestart"),
    "stopped": N_("Gestopt"),
}
STOP_REASONS = {
    "goals_achieved": N_("Doelen bereikt"),
    "moved": N_("Verhuisd"),
    "other_provision": N_("Andere voorziening"),
    "by_resident": N_("Op verzoek van de inwoner"),
    "deceased": N_("Overleden"),
    "other": N_("Anders"),
}
UNITS = {
    "hour": N_("uur"),
    "day_part": N_("dagdeel"),
    "day": N_("etmaal"),
    "piece": N_("stuk"),
    "euro": N_("euro"),
}
FREQUENCIES = {"week": N_("per week"), "month": N_("per maand"), "total": N_("totaal")}

APPOINTMENT_STATUSES = {
    "open": N_("Open"),
    "scheduled": N_("Ingepland"),
    "closed": N_("Afgehandeld"),
}
INVOLVEMENT_KINDS = {"professional": N_("Professional"), "external": N_("Externe partij")}
