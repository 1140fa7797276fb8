"""Name pools for demo residents: common Dutch and Achterhoek names, and names of families
with a Turkish, Moroccan, Polish or Surinamese background, some with diacritics (so the
demo shows accent-insensitive search). Surnames are (voorvoegsel, geslachtsnaam)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NameGroup:
    weight: int
    surnames: tuple[tuple[str | None, str], ...]
    male: tuple[str, ...]
    female: tuple[str, ...]
    middle_male: tuple[str, ...] = ()  # further voornamen, often after grandparents
    middle_female: tuple[str, ...] = ()


DUTCH = NameGroup(
    weight=82,
    surnames=(
        (None, "Jansen"), ("de", "Jong"), ("de", "Vries"), ("van den", "Berg"), ("van", "Dijk"),
        (None, "Bakker"), (None, "Visser"), (None, "Smit"), (None, "Meijer"), ("de", "Boer"),
        (None, "Mulder"), ("de", "Groot"), (None, "Bos"), (None, "Vos"), (None, "Peters"),
        (None, "Hendriks"), ("van", "Leeuwen"), (None, "Dekker"), (None, "Brouwer"),
        ("de", "Wit"), (None, "Dijkstra"), ("de", "Graaf"), ("van der", "Meer"),
        ("van der", "Linden"), (None, "Kok"), (None, "Jacobs"), ("de", "Haan"),
        (None, "Vermeulen"), ("van den", "Heuvel"), ("van der", "Veen"), ("van den", "Broek"),
        ("de", "Bruijn"), ("van der", "Heijden"), (None, "Schouten"), ("van", "Beek"),
        (None, "Willems"), ("van de", "Ven"), (None, "Hoekstra"), (None, "Maas"),
        (None, "Verhoeven"), (None, "Koster"), ("van", "Dam"), ("van der", "Wal"),
        (None, "Prins"), (None, "Blom"), (None, "Huisman"), ("ten", "Have"), (None, "Kuiper"),
        (None, "Kramer"), ("van den", "Brink"), (None, "Scholten"), ("van", "Wijk"),
        (None, "Wissink"), (None, "Lammertink"), (None, "Heuvelink"), (None, "Harmsen"),
        (None, "Eggink"), (None, "Rouwenhorst"), (None, "Hulshof"), (None, "Ribbink"),
        (None, "Wentink"), (None, "Bleumink"), (None, "Nijenhuis"), (None, "Klein Gunnewiek"),
        ("te", "Brake"), ("ter", "Horst"), (None, "Stokkink"), (None, "Gerritsen"),
    ),
    male=(
        "Jan", "Pieter", "Henk", "Gerrit", "Bram", "Daan", "Sem", "Lucas", "Finn", "Levi",
        "Thijs", "Jesse", "Ruben", "Tim", "Bas", "Wim", "Kees", "Joost", "Erik", "Mark",
        "Dennis", "Sven", "Noah", "Luuk", "Milan", "Sander", "Hendrik", "Jeroen", "Niels",
        "Teun", "Gijs", "Stijn", "Wouter", "Rik",
    ),
    female=(
        "Anna", "Emma", "Julia", "Sophie", "Tess", "Mila", "Sara", "Fleur", "Lotte", "Sanne",
        "Anouk", "Fenna", "Noor", "Lieke", "Ingrid", "Marieke", "Petra", "Linda", "Esther",
        "Kim", "Iris", "Evi", "Nina", "Chloë", "Renée", "Noëlle", "Femke", "Annemiek",
        "Gerda", "Hanneke", "Roos", "Jasmijn",
    ),
    middle_male=("Johannes", "Hendrik", "Willem", "Cornelis", "Gerardus", "Antonius", "Jacobus"),
    middle_female=("Maria", "Johanna", "Wilhelmina", "Hendrika", "Geertruida", "Cornelia",
                   "Elisabeth"),
)  # fmt: skip

TURKISH = NameGroup(
    weight=7,
    surnames=((None, "Yılmaz"), (None, "Öztürk"), (None, "Çelik"), (None, "Şahin"),
              (None, "Demir"), (None, "Kaya"), (None, "Aydın"), (None, "Doğan")),
    male=("Mehmet", "Emre", "Mustafa", "Yusuf", "Burak", "Ömer", "Kerem"),
    female=("Ayşe", "Zeynep", "Elif", "Fatma", "Büşra", "Esra", "Merve"),
)  # fmt: skip

MOROCCAN = NameGroup(
    weight=5,
    surnames=((None, "El Amrani"), (None, "Bouzid"), (None, "El Idrissi"),
              (None, "Benali"), (None, "Ait Taleb"), (None, "Ouali")),
    male=("Mohamed", "Youssef", "Ayoub", "Bilal", "Karim", "Adam"),
    female=("Fatima", "Nadia", "Salma", "Imane", "Yasmina", "Khadija"),
)  # fmt: skip

POLISH = NameGroup(
    weight=3,
    surnames=((None, "Kowalski"), (None, "Nowak"), (None, "Wiśniewski"),
              (None, "Wójcik"), (None, "Zieliński")),
    male=("Piotr", "Tomasz", "Paweł", "Michał", "Łukasz"),
    female=("Agnieszka", "Katarzyna", "Małgorzata", "Joanna", "Zuzanna"),
)  # fmt: skip

SURINAMESE = NameGroup(
    weight=3,
    surnames=((None, "Ramdin"), (None, "Sewdien"), (None, "Jagesar"), (None, "Kartosen"),
              (None, "Pinas"), (None, "Mungra")),
    male=("Rishi", "Anand", "Ravi", "Glenn", "Dinesh"),
    female=("Shanti", "Priya", "Anjali", "Sharmila", "Ashwina"),
)  # fmt: skip

NAME_GROUPS = (DUTCH, TURKISH, MOROCCAN, POLISH, SURINAMESE)
