"""Readable Dutch labels of the product categories the feed uses. The codes are those of
the allocations in case management (`AllocationSummary.product_category`); a code not
listed here is shown as it is."""

from wachttijden_openregie.module import N_

CATEGORY_LABELS = {
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
