"""Folding names for search: one function for what is stored (`Person.search_name`) and for
what is typed into a search box, so "Çelik", "celik" and "ÇELIK" find each other."""

from __future__ import annotations

import unicodedata

# Voorvoegsels (BRP table 36, the common ones) that people type before the geslachtsnaam.
VOORVOEGSELS = frozenset(
    {
        "van", "de", "der", "den", "het", "ter", "ten", "te", "in", "op", "aan", "bij",
        "la", "le", "les", "du", "da", "di", "del", "dos", "el", "al", "von", "zu", "'t",
    }
)  # fmt: skip

# Letters that Unicode does not decompose into a base letter and a combining mark.
_SPECIAL = str.maketrans({"ø": "o", "æ": "ae", "œ": "oe", "ß": "ss", "ł": "l", "đ": "d", "ı": "i"})


def fold_name(text: str) -> str:
    """Lower case, without diacritics, single spaces: "  Émile  ÖZTÜRK " -> "emile ozturk"."""
    if text.isascii():  # most names: nothing to decompose
        return " ".join(text.lower().split())
    decomposed = unicodedata.normalize("NFKD", text.lower().translate(_SPECIAL))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.translate(_SPECIAL).split())


def search_name_prefixes(text: str) -> list[str]:
    """The folded prefixes to look up for what someone typed. "van der Berg" also tries
    "berg", because the BRP keeps the voorvoegsel apart from the geslachtsnaam."""
    folded = fold_name(text)
    words = folded.split(" ")
    rest = words
    while len(rest) > 1 and rest[0] in VOORVOEGSELS:
        rest = rest[1:]
    prefixes = [folded] if folded else []
    if rest is not words:
        prefixes.append(" ".join(rest))
    return prefixes
