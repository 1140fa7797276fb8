"""The check for personal data in error pages (the root conftest.py, issue 10): every
answer with status 400 or higher of any Flask application in the run is read with the
log scanner's detectors, except where a page legitimately shows the user's own input or
name; a run whose test gets such a page fails, naming the test, also under pytest-xdist.

Nothing here lets an application of this run answer with personal data: answers are built
by hand and handed to a scanner of the test's own, or served in a separate pytest run
(which would otherwise fail this very session)."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from werkzeug.wrappers import Response

ROOT_CONFTEST = Path(__file__).resolve().parents[1] / "conftest.py"
BSN = "111222333"  # passes the 11-proef


def _load_scanner() -> Any:
    spec = importlib.util.spec_from_file_location("openregie_error_page_scanner", ROOT_CONFTEST)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


scanner = _load_scanner()


def _found_in_page(body: str, actor_name: str = "") -> list[str]:
    return scanner.personal_data_in(scanner.error_page_text(body, "text/html", actor_name))


# -- what is left out of a page, and what is not ----------------------------------------------


@pytest.mark.parametrize(
    ("body", "found"),
    [
        (f"<p>Geen toegang tot {BSN}.</p>", [f"BSN {BSN}"]),
        (f'<h1>Dossier van Anna Jansen</h1><input name="bsn" value="{BSN}">', ["name Anna Jansen"]),
        (f'<a href="/personen/?bsn={BSN}">volgende</a>', [f"BSN {BSN}"]),
        ("<td>anna.jansen@example.org</td>", ["e-mail anna.jansen@example.org"]),
        ("<p>Ay&#351;e &Ouml;zt&uuml;rk</p>", ["name Ayşe Öztürk"]),
    ],
    ids=["message", "heading-beside-a-field", "link", "table-cell", "entities"],
)
def test_personal_data_in_an_error_pages_text_links_or_headings_is_found(
    body: str, found: list[str]
) -> None:
    assert _found_in_page(body) == found


@pytest.mark.parametrize(
    "body",
    [
        f'<input type="search" name="bsn" value="{BSN}">',
        "<input name='naam' value='Anna Jansen'>",
        f'<input type="hidden" name="next" value="/personen/?bsn={BSN}">',
        '<textarea name="toelichting">Gesprek met Anna Jansen, 111222333</textarea>',
        '<select name="p"><option value="1" selected>Anna Jansen</option></select>',
    ],
    ids=["search-field", "single-quoted", "hidden-next-url", "textarea", "selected-option"],
)
def test_the_same_value_inside_a_form_field_is_not_found(body: str) -> None:
    assert _found_in_page(f"<form>{body}</form>") == []
    assert _found_in_page(f"<form>{body}</form><p>{BSN}</p>") == [f"BSN {BSN}"]


def test_an_option_that_is_not_selected_is_still_read():
    body = '<select><option value="1" selected>Kies</option><option value="2">Anna Jansen</option>'

    assert _found_in_page(body) == ["name Anna Jansen"]


def test_the_header_may_hold_the_signed_in_actors_own_name_and_no_other():
    page = '<div class="or-user">\n  <span>{}</span>\n</div><p>Geen toegang.</p>'

    assert _found_in_page(page.format("Anna Jansen"), actor_name="Anna Jansen") == []
    assert _found_in_page(page.format("Anna Jansen"), actor_name="Henk Visser") == [
        "name Anna Jansen"
    ]
    assert _found_in_page(page.format("Anna Jansen")) == ["name Anna Jansen"]
    own_name_elsewhere = page.format("Anna Jansen") + "<p>Anna Jansen</p>"
    assert _found_in_page(own_name_elsewhere, actor_name="Anna Jansen") == ["name Anna Jansen"]


# -- which answers are read -----------------------------------------------------------------


def _scan(
    response: Response, where: str = "GET /personen/", request_input: str = ""
) -> list[dict[str, Any]]:
    pages = scanner.ErrorPageScanner()
    pages.test = "tests/test_x.py::test_y"
    pages.scan(response, where, request_input=request_input)
    return pages.findings


def test_an_error_page_with_a_bsn_is_kept_with_the_test_status_and_request():
    page = Response(f"<p>Persoon {BSN} niet gevonden</p>", status=404, mimetype="text/html")

    [finding] = _scan(page, f"GET /personen/{BSN}")

    assert (finding["test"], finding["status"], finding["where"], finding["found"]) == (
        "tests/test_x.py::test_y",
        "404",
        f"GET /personen/{BSN}",
        [f"BSN {BSN}"],
    )
    assert f"Persoon {BSN} niet gevonden" in finding["text"]


def test_a_json_error_is_read_with_its_escaped_letters_decoded():
    answer = Response(
        '{"error": {"detail": "Ay\\u015fe \\u00d6zt\\u00fcrk niet gevonden"}}',
        status=404,
        mimetype="application/json",
    )

    assert [f["found"] for f in _scan(answer)] == [["name Ayşe Öztürk"]]


@pytest.mark.parametrize("status", [401, 403, 404, 405, 500])
def test_a_refusal_or_failure_page_may_hold_no_personal_data_even_if_not_from_the_request(
    status: int,
) -> None:
    page = Response("<p>Gezin van Anna Jansen</p>", status=status, mimetype="text/html")

    assert [f["found"] for f in _scan(page, request_input="")] == [["name Anna Jansen"]]


@pytest.mark.parametrize("status", [400, 409, 422, 429])
def test_a_rerendered_page_refusing_input_counts_only_what_it_echoes_of_the_request(
    status: int,
) -> None:
    page = Response(
        f"<dd>Anna Jansen</dd><p>Ongeldig burgerservicenummer: {BSN}</p>",
        status=status,
        mimetype="text/html",
    )
    request_input = f"/personen/nieuw\n{BSN}\nHenk Visser"

    assert [f["found"] for f in _scan(page, request_input=request_input)] == [[f"BSN {BSN}"]]
    assert _scan(page, request_input="/casussen/1/bewerken\nKies") == []


def test_a_residents_own_data_is_theirs_to_see_and_nobody_elses_is():
    page = Response(
        "<dd>anna.jansen@example.org</dd><dd>henk.visser@example.org</dd>",
        status=403,
        mimetype="text/html",
    )
    pages = scanner.ErrorPageScanner()

    pages.scan(page, "GET /mijn/gegevens", own_values=frozenset({"anna.jansen@example.org"}))

    assert [f["found"] for f in pages.findings] == [["e-mail henk.visser@example.org"]]
    assert scanner.resident_own_values(None) == frozenset()


@pytest.mark.parametrize(
    "response",
    [
        Response(f"<p>Persoon {BSN}</p>", status=200, mimetype="text/html"),
        Response(f"<p>Persoon {BSN}</p>", status=302, mimetype="text/html"),
        Response(
            f"bsn;naam\n{BSN};Anna Jansen\n",
            status=409,
            mimetype="text/plain",
            headers={"Content-Disposition": 'attachment; filename="export.csv"'},
        ),
        Response(BSN.encode(), status=500, mimetype="application/pdf"),
    ],
    ids=["200", "302", "attachment", "binary"],
)
def test_a_successful_answer_a_download_or_a_binary_body_is_not_read(response: Response):
    assert _scan(response) == []


# -- the run fails -------------------------------------------------------------------------


APP = f"""\
from flask import Flask, request

app = Flask(__name__)


@app.get("/leak")
def leak():
    return "<h1>Geen toegang</h1><p>Dossier van Anna Jansen ({BSN})</p>", 403


@app.get("/field")
def field():
    return '<form><input name="bsn" value="{BSN}"></form><p>Ongeldig</p>', 400


@app.post("/zoek")
def search():
    bsn = request.form["bsn"]
    if request.form.get("echo"):
        return f"<p>Geen persoon met BSN {{bsn}}</p>", 400
    return f'<input name="bsn" value="{{bsn}}"><dd>Henk Visser</dd><p>Ongeldig</p>', 400


@app.get("/ok")
def ok():
    return "<p>Anna Jansen, {BSN}</p>"
"""
LEAKING_AND_CLEAN = (
    APP
    + """

def test_gets_a_leaking_error_page():
    assert app.test_client().get("/leak").status_code == 403


def test_gets_its_input_back_in_a_form_field():
    assert app.test_client().get("/field").status_code == 400


def test_gets_its_input_echoed_on_a_400():
    answer = app.test_client().post("/zoek", data={"bsn": "111222333", "echo": "1"})
    assert answer.status_code == 400
"""
)
CLEAN = (
    APP
    + """

def test_gets_its_input_back_in_a_form_field():
    assert app.test_client().get("/field").status_code == 400


def test_gets_a_page_with_personal_data_that_is_no_error():
    assert app.test_client().get("/ok").status_code == 200


def test_gets_the_page_again_with_its_persons_and_its_input_in_a_field():
    assert app.test_client().post("/zoek", data={"bsn": "111222333"}).status_code == 400
"""
)


def _pytest_run(tmp_path: Path, source: str, *args: str) -> subprocess.CompletedProcess[str]:
    """A pytest run of `source` (one test file) with the root conftest.py, in its own
    process; only xdist of the installed plugins is loaded."""
    (tmp_path / "conftest.py").write_text(ROOT_CONFTEST.read_text(encoding="utf-8"))
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    (tmp_path / "test_sample.py").write_text(source)
    env = {**os.environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "xdist.plugin"]
    return subprocess.run(
        [*command, *args], cwd=tmp_path, env=env, capture_output=True, text=True, check=False
    )


@pytest.mark.parametrize("workers", [[], ["-n", "2"]], ids=["in-process", "xdist"])
def test_a_run_whose_test_gets_an_error_page_with_personal_data_fails_naming_the_test(
    tmp_path: Path, workers: list[str]
) -> None:
    result = _pytest_run(tmp_path, LEAKING_AND_CLEAN, *workers)

    assert result.returncode == 1, result.stdout + result.stderr
    output = result.stdout
    assert "3 passed, 2 with personal data in error pages" in output
    assert (
        f"test_sample.py::test_gets_a_leaking_error_page: 403 GET /leak: BSN {BSN}, "
        "name Anna Jansen" in output
    )
    echoed = f"test_sample.py::test_gets_its_input_echoed_on_a_400: 400 POST /zoek: BSN {BSN}"
    assert echoed in output
    assert "test_gets_its_input_back_in_a_form_field:" not in output


@pytest.mark.parametrize("workers", [[], ["-n", "2"]], ids=["in-process", "xdist"])
def test_a_run_with_input_in_form_fields_and_personal_data_only_on_200_pages_passes(
    tmp_path: Path, workers: list[str]
) -> None:
    result = _pytest_run(tmp_path, CLEAN, *workers)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "personal data" not in result.stdout
