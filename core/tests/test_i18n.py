"""Translations: every Dutch message id of core has an English translation, the compiled
catalogue matches its source, and the language switch in the footer works (Dutch by
default, English on request or by choice, never an open redirect)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from openregie_core.i18n import TRANSLATIONS
from openregie_sdk.testing.plugin import TEST_PASSWORD, csrf_token_in

REPOSITORY = Path(__file__).resolve().parents[2]
PACKAGE = REPOSITORY / "core" / "openregie_core"
CATALOGUE = TRANSLATIONS / "en" / "LC_MESSAGES"
# `%(name)s` and `%d`-style placeholders (gettext's python-format).
PLACEHOLDER = re.compile(r"%(?:\([^)]+\))?[-#0 +]*\d*(?:\.\d+)?[sdifrxXeEgGc%]")
# The extra keywords of `make translations`: lazy form labels and no-op markers.
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "N_": None}


def _key(message_id: str | tuple[str, ...] | list[str]) -> str | tuple[str, ...]:
    return message_id if isinstance(message_id, str) else tuple(message_id)


def _texts(value: str | tuple[str, ...] | list[str] | None) -> tuple[str, ...]:
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)


@pytest.fixture(scope="module")
def extracted() -> Catalog:
    """A fresh extraction of core's message ids, as `make translations` does it."""
    with (REPOSITORY / "babel.cfg").open() as config:
        method_map, options_map = parse_mapping_cfg(config)
    catalog = Catalog()
    for filename, lineno, message, _comments, context in extract_from_dir(
        str(PACKAGE), method_map, options_map, keywords=KEYWORDS
    ):
        catalog.add(message, None, [(filename, lineno)], context=context)
    return catalog


@pytest.fixture(scope="module")
def english() -> Catalog:
    with (CATALOGUE / "messages.po").open("rb") as source:
        return read_po(source, locale="en")


# Each first-party module ships its own English catalogue in `<package>/translations/`.
MODULES = sorted((REPOSITORY / "plugins").glob("*/openregie_*/translations"))


def _extract(package: Path) -> Catalog:
    with (REPOSITORY / "babel.cfg").open() as config:
        method_map, options_map = parse_mapping_cfg(config)
    catalog = Catalog()
    for filename, lineno, message, _comments, context in extract_from_dir(
        str(package), method_map, options_map, keywords=KEYWORDS
    ):
        catalog.add(message, None, [(filename, lineno)], context=context)
    return catalog


def _read(folder: Path) -> tuple[Catalog, Catalog]:
    with (folder / "en" / "LC_MESSAGES" / "messages.po").open("rb") as source:
        po = read_po(source, locale="en")
    with (folder / "en" / "LC_MESSAGES" / "messages.mo").open("rb") as compiled:
        mo = read_mo(compiled)
    return po, mo


def test_every_first_party_module_has_an_english_catalogue() -> None:
    names = {folder.parent.name for folder in MODULES}
    assert names == {
        "openregie_casemanagement",
        "openregie_consent",
        "openregie_portal",
        "openregie_reporting",
    }


@pytest.mark.parametrize("folder", MODULES, ids=lambda folder: folder.parent.name)
def test_a_module_catalogue_is_complete_current_and_compiled(folder: Path) -> None:
    extracted = _extract(folder.parent)
    po, mo = _read(folder)
    assert len([m for m in extracted if m.id]) > 0
    missing = []
    for message in extracted:
        if not message.id:
            continue
        translated = po.get(message.id, context=message.context)
        strings = _texts(translated.string) if translated is not None else ()
        if not strings or not all(s.strip() for s in strings) or translated.fuzzy:
            missing.append(message.id)
    assert not missing, f"untranslated (run `make translations` and translate): {missing}"
    current = {(_key(m.id), m.context) for m in extracted if m.id}
    stale = [m.id for m in po if m.id and (_key(m.id), m.context) not in current]
    assert not stale, f"in the .po but no longer in the code: {stale}"
    for message in po:
        if message.id:
            wanted = sorted(PLACEHOLDER.findall(_texts(message.id)[0]))
            for string in _texts(message.string):
                assert sorted(PLACEHOLDER.findall(string)) == wanted, message.id

    def pairs(catalog: Catalog) -> dict[object, tuple[str, ...]]:
        return {
            (_key(m.id), m.context): _texts(m.string)
            for m in catalog
            if m.id and m.string and not m.fuzzy
        }

    assert pairs(mo) == pairs(po), "the .mo is stale: run `make translations`"


def test_extraction_finds_python_templates_and_markers(extracted: Catalog) -> None:
    ids = {_key(m.id) for m in extracted if m.id}
    assert "Inloggen" in ids  # a template
    assert "Gebruikersnaam" in ids  # a lazy form label
    assert "Verwerkingenlog" in ids  # a nav label marked with N_
    assert "Verwerkingenlog inzien" in ids  # a permission title marked with N_
    assert "jeugd en gezin" in ids  # a code label
    assert "Gebruikersnaam of wachtwoord klopt niet." in ids  # a message from a view
    assert len(ids) > 200


def test_every_message_id_has_an_english_translation(extracted: Catalog, english: Catalog) -> None:
    missing = []
    for message in extracted:
        if not message.id:
            continue
        translated = english.get(message.id, context=message.context)
        strings = _texts(translated.string) if translated is not None else ()
        if not strings or not all(s.strip() for s in strings) or translated.fuzzy:
            missing.append(message.id)
    assert not missing, f"untranslated (run `make translations` and translate): {missing}"


def test_the_catalogue_holds_no_obsolete_or_fuzzy_entries(
    extracted: Catalog, english: Catalog
) -> None:
    current = {(_key(m.id), m.context) for m in extracted if m.id}
    stale = [m.id for m in english if m.id and (_key(m.id), m.context) not in current]
    assert not stale, f"in the .po but no longer in the code: {stale}"
    assert not english.obsolete
    assert not [m.id for m in english if m.id and m.fuzzy]


def test_translations_keep_the_placeholders_of_their_id(english: Catalog) -> None:
    mismatched = []
    for message in english:
        if not message.id:
            continue
        wanted = sorted(PLACEHOLDER.findall(_texts(message.id)[0]))
        for string in _texts(message.string):
            if sorted(PLACEHOLDER.findall(string)) != wanted:
                mismatched.append((message.id, string))
    assert not mismatched


def test_the_compiled_catalogue_is_up_to_date(english: Catalog) -> None:
    with (CATALOGUE / "messages.mo").open("rb") as compiled:
        mo = read_mo(compiled)

    def pairs(catalog: Catalog) -> dict[object, tuple[str, ...]]:
        return {
            (_key(m.id), m.context): _texts(m.string)
            for m in catalog
            if m.id and m.string and not m.fuzzy
        }

    assert pairs(mo) == pairs(english), "the .mo is stale: run `make translations`"


def _switch(client, lang: str, next_: str | None = "/auth/login"):
    page = client.get("/auth/login").get_data(as_text=True)
    data = {"csrf_token": csrf_token_in(page), "lang": lang}
    if next_ is not None:
        data["next"] = next_
    return client.post("/taal", data=data)


def test_dutch_by_default(client) -> None:
    page = client.get("/auth/login").get_data(as_text=True)
    assert '<html lang="nl"' in page
    assert "Inloggen" in page and "Gebruikersnaam" in page and "Wachtwoord" in page
    assert "Log in" not in page
    # the switch in the footer offers both languages
    assert 'action="/taal"' in page and 'value="en"' in page and 'value="nl"' in page


def test_english_after_switching(client) -> None:
    response = _switch(client, "en")
    assert response.status_code == 303
    assert response.headers["Location"] == "/auth/login"
    page = client.get("/auth/login").get_data(as_text=True)
    assert '<html lang="en"' in page
    assert "Log in" in page and "Username" in page and "Password" in page
    assert "Gebruikersnaam" not in page
    assert "Skip to content" in page
    # and back
    assert _switch(client, "nl").status_code == 303
    page = client.get("/auth/login").get_data(as_text=True)
    assert '<html lang="nl"' in page and "Gebruikersnaam" in page


def test_english_messages_from_views_and_forms(client, make_user) -> None:
    make_user("professional", username="anna")
    _switch(client, "en")
    page = client.get("/auth/login").get_data(as_text=True)
    response = client.post(
        "/auth/login",
        data={"csrf_token": csrf_token_in(page), "username": "anna", "password": "wrong"},
    )
    assert response.status_code == 401
    assert "Incorrect username or password." in response.get_data(as_text=True)
    missing = client.get("/bestaat-niet")
    assert missing.status_code == 404
    assert "This page does not exist (any more)." in missing.get_data(as_text=True)


def test_the_chosen_language_survives_the_login(client, make_user) -> None:
    make_user("professional", username="bram")
    _switch(client, "en")
    page = client.get("/auth/login").get_data(as_text=True)
    response = client.post(
        "/auth/login",
        data={"csrf_token": csrf_token_in(page), "username": "bram", "password": TEST_PASSWORD},
    )
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert '<html lang="en"' in page and "Enter code" in page


def test_english_from_accept_language(client) -> None:
    page = client.get("/auth/login", headers={"Accept-Language": "en-GB,en;q=0.9"})
    text = page.get_data(as_text=True)
    assert '<html lang="en"' in text and "Log in" in text and "Username" in text


def test_a_chosen_language_beats_accept_language(client) -> None:
    _switch(client, "nl")
    page = client.get("/auth/login", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="nl"' in page and "Inloggen" in page


def test_an_unknown_language_is_refused(client) -> None:
    response = _switch(client, "de")
    assert response.status_code == 400
    page = client.get("/auth/login").get_data(as_text=True)
    assert '<html lang="nl"' in page


def test_the_switch_needs_a_csrf_token(client) -> None:
    response = client.post("/taal", data={"lang": "en", "next": "/auth/login"})
    assert response.status_code == 400
    assert '<html lang="nl"' in client.get("/auth/login").get_data(as_text=True)


@pytest.mark.parametrize(
    "next_",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example/",
        "http:/auth/login",
        "javascript:alert(1)",
        "",
        None,
    ],
)
def test_an_external_next_is_not_followed(client, next_: str | None) -> None:
    response = _switch(client, "en", next_)
    assert response.status_code == 303
    assert response.headers["Location"] == "/"
    assert '<html lang="en"' in client.get("/auth/login").get_data(as_text=True)


def test_a_local_next_keeps_its_query(client) -> None:
    response = _switch(client, "en", "/personen/?naam=Jansen")
    assert response.headers["Location"] == "/personen/?naam=Jansen"


def test_a_page_looks_up_its_translations_once_however_many_texts_it_shows(
    client, monkeypatch
) -> None:
    from openregie_core.web import translations

    calls = []
    real = translations.get_translations

    def counted():
        calls.append(1)
        return real()

    monkeypatch.setattr(translations, "get_translations", counted)
    _switch(client, "en")
    calls.clear()
    page = client.get("/auth/login").get_data(as_text=True)
    # the layout and the form translate a dozen texts, all in English, from one lookup
    assert "Log in" in page and "Username" in page and "Skip to content" in page
    assert len(calls) == 1
    # switching back (its form page, the redirect) and the next page: Dutch again, one
    # lookup per rendered page
    calls.clear()
    _switch(client, "nl")
    assert "Inloggen" in client.get("/auth/login").get_data(as_text=True)
    assert len(calls) == 2
