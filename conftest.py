"""No personal data in the logs (issue 10): a check over the whole test run.

A logging handler on the root logger sees every record of the session (the product's own
loggers are opened down to DEBUG for it; other libraries log at their usual levels) and
looks in its formatted message, exception text and stack for personal data:

- a BSN: nine digits on their own that pass the 11-proef (python-stdnum);
- an e-mail address of a person: any address whose mailbox is not a role or system one
  (`noreply@`, `beheer@`, ... — see SYSTEM_MAILBOXES);
- a name of a demo or test person: a given name followed by a surname (with or without
  voorvoegsel) from the demo's name pools (`openregie_core.demo_names`, what `openregie
  demo` and the test kit's `seed_demo` draw from) and the persons the test fixtures make
  (FIXTURE_*), or one of the distinctive fixture surnames on its own.

The same detectors look at every error page of the run: a receiver of Flask's
`request_finished` signal, connected for every application (no sender), reads the body of
each answer with status 400 or higher that is HTML, JSON or other text (a file download,
an attachment, a streamed or binary answer is skipped). Left out first are the places
where a page legitimately shows what the user typed or the user's own data, and only those
(see `error_page_text`):

- the value of a form field: `value="..."` attributes, the content of a `<textarea>`, the
  text of a selected `<option>` (a search shown again with its input, a 409 conflict page
  that keeps "your version" in its fields, the language form's hidden `next` URL);
- the signed-in actor's own display name in the layout's header (`<div class="or-user">`),
  only when it is that actor's name.

Everything else — the message, the title, headings, links, a table, a JSON error body —
is scanned, so a page that shows a resident's data to someone who may not see it is caught:
every 401, 403, 404, 405, 500 (any status not below) must hold none at all. A refusal of
an action the actor may take — 400 (bad input), 409 (a stale version), 422, 429 (too
many) — re-renders the page the actor was already shown, with the persons on it (a case's
household, the people a resident acts for, the resident's own contact details); there only
personal data that the request itself carried (its path, query, form fields, file names or
JSON body) and that the page echoes outside a form field is a finding (ECHO_ONLY_STATUSES).
A signed-in resident's own data (name, BSN, e-mail of the resident and of the person they
act for) is theirs to see on any page of theirs (`resident_own_values`).

At the end of the run the records and error pages that hold any are printed with the test
that produced them, counted in the closing line, and the run fails (exit status 1). With
pytest-xdist each worker scans its own records and pages and hands its findings to the
controller through xdist's `workeroutput`; the controller reports and fails.
tests/test_log_scanner.py and tests/test_error_page_scanner.py test this file, also under
xdist.
"""

from __future__ import annotations

import functools
import html
import json
import logging
import re
from types import SimpleNamespace
from typing import Any

import pytest

# The loggers of our packages: opened down to DEBUG for the run, so what they would log in
# a verbose production configuration is checked too.
PRODUCT_LOGGERS = (
    "openregie",
    "openregie_core",
    "openregie_sdk",
    "openregie_casemanagement",
    "openregie_consent",
    "openregie_portal",
    "openregie_reporting",
    "wachttijden_openregie",
)

# Nine digits standing alone: not part of a longer number, a word, a hex string or a
# decimal fraction (so no timestamp, UUID or duration is taken for a BSN).
BSN_CANDIDATE = re.compile(r"(?<![\w.])\d{9}(?!\w|\.\d)")
EMAIL = re.compile(r"(?<![\w.+-])([\w.+-]+)@([\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,})(?![\w-])")
# Mailboxes of a role or a system, never of a person (configuration, senders, examples).
SYSTEM_MAILBOXES = frozenset(
    {
        "abuse", "admin", "administrator", "beheer", "beheerder", "contact", "helpdesk",
        "hostmaster", "info", "mailer-daemon", "no-reply", "noreply", "donotreply",
        "do-not-reply", "postmaster", "privacy", "root", "security", "servicedesk",
        "support", "webmaster", "wijkteam", "team", "portaal", "openregie",
    }
)  # fmt: skip

# The persons the test fixtures make (core/tests/conftest.py, tests/security/conftest.py,
# tests/test_other_vendor_casemanagement.py, plugins/portal/tests/portal_worlds.py,
# plugins/consent/tests/conftest.py, the SDK's conformance suites), beyond the demo pools.
FIXTURE_GIVEN_NAMES = (
    "Test", "Anna", "Anna Maria", "Tim", "Sara", "Joost", "Henk", "Els", "Karel", "Piet",
    "Lotte", "Sanne", "Bram", "Emre", "Ayşe", "Bea", "Ada",
)  # fmt: skip
FIXTURE_SURNAMES = ("Aalders", "Aalberts", "Bakker", "Bosch", "Jansen", "Visser", "Smit",
                    "Pietersen", "Öztürk", "Çelik", "Celik", "Bergman", "Berg", "Bos",
                    "Wit", "Vries", "Conform")  # fmt: skip
# Fixture surnames that are no Dutch word and no common term: found even without a given name.
DISTINCTIVE_SURNAMES = ("Aalders", "Aalberts", "Pietersen")
VOORVOEGSELS = ("van den", "van der", "van de", "van", "de", "den", "der", "ten", "ter", "te")


def _alternatives(words: Any) -> str:
    """A regex alternation of `words`, longest first (so "Anna Maria" wins over "Anna")."""
    return "|".join(re.escape(word) for word in sorted(set(words), key=lambda w: (-len(w), w)))


@functools.cache
def _name_pattern() -> re.Pattern[str]:
    given: set[str] = set(FIXTURE_GIVEN_NAMES)
    surnames: set[str] = set(FIXTURE_SURNAMES)
    prefixes: set[str] = set(VOORVOEGSELS)
    try:
        from openregie_core.demo_names import NAME_GROUPS
    except ImportError:  # core not installed: the fixture names only
        NAME_GROUPS = ()
    for group in NAME_GROUPS:
        given.update(group.male, group.female, group.middle_male, group.middle_female)
        for prefix, surname in group.surnames:
            surnames.add(surname)
            if prefix:
                prefixes.add(prefix)
    full = (
        rf"(?:{_alternatives(given)})(?:\s+(?:{_alternatives(given)}))*\s+"
        rf"(?:(?:{_alternatives(prefixes)})\s+)?(?:{_alternatives(surnames)})"
    )
    return re.compile(rf"(?<!\w)(?:{full}|{_alternatives(DISTINCTIVE_SURNAMES)})(?!\w)")


def personal_data_in(text: str) -> list[str]:
    """What personal data `text` holds, each as "<kind> <value>" (empty when none)."""
    from stdnum.nl import bsn

    found = [f"BSN {m.group(0)}" for m in BSN_CANDIDATE.finditer(text) if bsn.is_valid(m.group(0))]
    found += [
        f"e-mail {m.group(0)}"
        for m in EMAIL.finditer(text)
        if m.group(1).lower() not in SYSTEM_MAILBOXES
    ]
    found += [f"name {m.group(0)}" for m in _name_pattern().finditer(text)]
    return list(dict.fromkeys(found))  # each once (a traceback repeats its message)


def record_text(record: logging.LogRecord) -> str:
    """A record as a log file would hold it: the message, the exception and the stack."""
    parts = [record.getMessage()]
    if record.exc_info and record.exc_info[0] is not None:
        parts.append(logging.Formatter().formatException(record.exc_info))
    elif record.exc_text:
        parts.append(record.exc_text)
    if record.stack_info:
        parts.append(record.stack_info)
    return "\n".join(parts)


class PersonalDataScanner(logging.Handler):
    """Keeps a finding (a dict of strings) for every record that holds personal data."""

    def __init__(self) -> None:
        super().__init__(level=logging.NOTSET)
        self.test = "(outside any test)"
        self.findings: list[dict[str, Any]] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = record_text(record)
        except Exception:  # a record whose arguments do not fit its message
            text = f"{record.msg!r} % {record.args!r}"
        found = personal_data_in(text)
        if found:
            self.findings.append(
                {
                    "test": self.test,
                    "logger": record.name,
                    "level": record.levelname,
                    "where": f"{record.pathname}:{record.lineno}",
                    "found": found,
                    "text": text,
                }
            )


# -- error pages ------------------------------------------------------------------------------

# Where a page shows the user's own input: a field's value (any element: input, option,
# button), a textarea's content, a selected option's text.
FIELD_VALUE = re.compile(r"""\svalue\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+)""", re.IGNORECASE)
TEXTAREA = re.compile(r"(<textarea\b[^>]*>).*?(</textarea\s*>)", re.IGNORECASE | re.DOTALL)
SELECTED_OPTION = re.compile(
    r"(<option\b[^>]*\sselected\b[^>]*>)[^<]*(</option\s*>)?", re.IGNORECASE
)
# The signed-in actor's name in core's layout header (core/openregie_core/templates/layout.html).
HEADER_USER = re.compile(r'(<div class="or-user">\s*<span>)([^<]*)(</span>)')
SCANNED_MIMETYPES = ("text/html", "text/plain", "application/json", "application/problem+json")
# Refusals of an action on a page the actor may see, which re-render that page: only an
# echo of the request's own personal data counts there (see the module's docstring).
ECHO_ONLY_STATUSES = frozenset({400, 409, 422, 429})


def error_page_text(body: str, mimetype: str, actor_name: str = "") -> str:
    """The text of an error answer that must hold no personal data: an HTML page without
    its form fields' values and without the signed-in actor's own name in the header
    (`actor_name`, "" when nobody is signed in), entities decoded; other text as it is."""
    if mimetype != "text/html":
        try:  # JSON escapes non-ASCII letters ("\u00d6zt\u00fcrk"): read it as text
            return json.dumps(json.loads(body), ensure_ascii=False)
        except ValueError:
            return body
    text = FIELD_VALUE.sub(" ", body)
    text = TEXTAREA.sub(r"\1\2", text)
    text = SELECTED_OPTION.sub(r"\1\2", text)

    def own_name_left_out(match: re.Match[str]) -> str:
        if actor_name and html.unescape(match.group(2)).strip() == actor_name:
            return match.group(1) + match.group(3)
        return match.group(0)

    return html.unescape(HEADER_USER.sub(own_name_left_out, text))


def _scanned(response: Any) -> bool:
    """An error answer whose body is text to read (not a download, stream or binary)."""
    if response.status_code < 400 or response.is_streamed or response.direct_passthrough:
        return False
    if "attachment" in response.headers.get("Content-Disposition", "").lower():
        return False
    return response.mimetype in SCANNED_MIMETYPES or response.mimetype.endswith("+json")


def _excerpts(text: str, found: list[str], width: int = 100) -> list[str]:
    """The lines around each finding (a page is long)."""
    lines = []
    for finding in found:
        value = finding.split(" ", 1)[1]
        at = text.find(value)
        if at >= 0:
            excerpt = text[max(0, at - width) : at + len(value) + width]
            lines.append(" ".join(excerpt.split()))
    return list(dict.fromkeys(lines))


def request_input_text(request: Any) -> str:
    """All a request carried, as text: its path and query (decoded), form fields, file
    names and JSON body. The body only as far as the view read it (a page can echo nothing
    else), so the scan never parses a body of its own (one refused as too large, say)."""
    parts = [request.path, *(v for _, values in request.args.lists() for v in values)]
    if "form" in vars(request):  # werkzeug caches a parsed form (and its files) there
        parts += [v for _, values in request.form.lists() for v in values]
        parts += [f.filename or "" for _, files in request.files.lists() for f in files]
    if request.is_json and "_cached_data" in vars(request):
        body = request.get_json(silent=True)
        if body is not None:
            parts.append(json.dumps(body, ensure_ascii=False))
    return "\n".join(str(part) for part in parts)


def resident_own_values(actor: Any) -> frozenset[str]:
    """For a signed-in resident: the name, BSN and e-mail address of the resident and of
    the person they act for (their own data); for anyone else nothing."""
    if actor is None or str(getattr(actor, "kind", "")) != "resident":
        return frozenset()
    try:
        from openregie_sdk.registry import Person
        from openregie_sdk.runtime import db_session

        session = db_session()
        values = set()
        for person_id in {actor.id, actor.on_behalf_of} - {None}:
            person = session.get(Person, person_id)  # loaded by the request already
            if person is not None:
                values |= {person.full_name, person.bsn or "", person.email or ""}
        return frozenset(values - {""})
    except Exception:  # no registry or no session here: nothing is the resident's own
        return frozenset()


class ErrorPageScanner:
    """Keeps a finding (a dict of strings) for every error answer holding personal data."""

    def __init__(self) -> None:
        self.test = "(outside any test)"
        self.findings: list[dict[str, Any]] = []

    def scan(
        self,
        response: Any,
        where: str,
        actor_name: str = "",
        request_input: str = "",
        own_values: frozenset[str] = frozenset(),
    ) -> None:
        """Scan an answer of the request `where` ("GET /path"); `request_input` is the text
        the request carried (see `request_input_text`), `own_values` a signed-in resident's
        own data (see `resident_own_values`)."""
        if not _scanned(response):
            return
        text = error_page_text(response.get_data(as_text=True), response.mimetype, actor_name)
        found = [f for f in personal_data_in(text) if f.split(" ", 1)[1] not in own_values]
        if response.status_code in ECHO_ONLY_STATUSES:
            found = [f for f in found if f.split(" ", 1)[1] in request_input]
        if found:
            self.findings.append(
                {
                    "test": self.test,
                    "status": str(response.status_code),
                    "where": where,
                    "found": found,
                    "text": "\n".join(_excerpts(text, found)),
                }
            )

    def on_request_finished(self, sender: Any, response: Any, **extra: Any) -> None:
        """Flask's `request_finished` receiver (still inside the request's context)."""
        try:
            from flask import g, request

            actor = g.get("openregie_actor")
            actor_name = getattr(actor, "display_name", "") or ""
            where = f"{request.method} {request.path}"
            own = resident_own_values(actor)
            self.scan(response, where, actor_name, request_input_text(request), own)
        except Exception as exc:  # the scan must never break the request under test
            self.findings.append(
                {
                    "test": self.test,
                    "status": str(getattr(response, "status_code", "?")),
                    "where": "(the scan failed)",
                    "found": [f"scanner error {exc!r}"],
                    "text": "",
                }
            )


SCANNER = pytest.StashKey[PersonalDataScanner]()
PAGE_SCANNER = pytest.StashKey[ErrorPageScanner]()
FROM_WORKERS = pytest.StashKey[list[dict[str, Any]]]()
PAGES_FROM_WORKERS = pytest.StashKey[list[dict[str, Any]]]()
LEVELS = pytest.StashKey[dict[str, int]]()
WORKER_OUTPUT_KEY = "openregie_personal_data_in_logs"
PAGES_OUTPUT_KEY = "openregie_personal_data_in_error_pages"


_scanner: PersonalDataScanner | None = None  # this process's, for the runtest hooks
_page_scanner: ErrorPageScanner | None = None


def _request_finished() -> Any:
    try:
        from flask import request_finished
    except ImportError:  # no Flask here: no pages to scan
        return None
    return request_finished


def pytest_configure(config: pytest.Config) -> None:
    global _scanner, _page_scanner
    _scanner = config.stash[SCANNER] = PersonalDataScanner()
    _page_scanner = config.stash[PAGE_SCANNER] = ErrorPageScanner()
    config.stash[FROM_WORKERS] = []
    config.stash[PAGES_FROM_WORKERS] = []
    signal = _request_finished()
    if signal is not None:  # every application: no sender
        signal.connect(_page_scanner.on_request_finished, weak=False)
    levels = {}
    for name in PRODUCT_LOGGERS:
        logger = logging.getLogger(name)
        levels[name] = logger.level
        if logger.level == logging.NOTSET:
            logger.setLevel(logging.DEBUG)
    config.stash[LEVELS] = levels
    logging.getLogger().addHandler(_scanner)


def pytest_unconfigure(config: pytest.Config) -> None:
    logging.getLogger().removeHandler(config.stash[SCANNER])
    signal = _request_finished()
    if signal is not None:
        signal.disconnect(config.stash[PAGE_SCANNER].on_request_finished)
    for name, level in config.stash[LEVELS].items():
        logging.getLogger(name).setLevel(level)


def pytest_runtest_logstart(nodeid: str) -> None:
    for scanner in (_scanner, _page_scanner):
        if scanner is not None:
            scanner.test = nodeid


def pytest_runtest_logfinish(nodeid: str) -> None:
    for scanner in (_scanner, _page_scanner):
        if scanner is not None:
            scanner.test = "(outside any test)"


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    """xdist controller: collect a finished worker's findings."""
    output = getattr(node, "workeroutput", None) or {}
    node.config.stash[FROM_WORKERS].extend(output.get(WORKER_OUTPUT_KEY, []))
    node.config.stash[PAGES_FROM_WORKERS].extend(output.get(PAGES_OUTPUT_KEY, []))


def findings_of(config: pytest.Config) -> list[dict[str, Any]]:
    return config.stash[SCANNER].findings + config.stash[FROM_WORKERS]


def page_findings_of(config: pytest.Config) -> list[dict[str, Any]]:
    return config.stash[PAGE_SCANNER].findings + config.stash[PAGES_FROM_WORKERS]


def pytest_sessionfinish(session: pytest.Session) -> None:
    config = session.config
    if hasattr(config, "workeroutput"):  # an xdist worker: the controller reports
        config.workeroutput[WORKER_OUTPUT_KEY] = config.stash[SCANNER].findings
        config.workeroutput[PAGES_OUTPUT_KEY] = config.stash[PAGE_SCANNER].findings
        return
    if (findings_of(config) or page_findings_of(config)) and session.exitstatus in (
        pytest.ExitCode.OK,
        pytest.ExitCode.NO_TESTS_COLLECTED,
    ):
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    if hasattr(config, "workeroutput"):
        return
    writer = terminalreporter
    findings = findings_of(config)
    if findings:
        writer.write_sep("=", "personal data in log records", red=True, bold=True)
        for finding in findings:
            writer.write_line(
                f"{finding['test']}: {finding['level']} {finding['logger']} "
                f"({finding['where']}): {', '.join(finding['found'])}",
                red=True,
            )
            for line in finding["text"].splitlines()[:40]:
                writer.write_line(f"    {line}")
        writer.write_line(
            f"{len(findings)} log record(s) hold personal data (conftest.py): the run fails.",
            red=True,
            bold=True,
        )
    pages = page_findings_of(config)
    if pages:
        writer.write_sep("=", "personal data in error pages", red=True, bold=True)
        for finding in pages:
            writer.write_line(
                f"{finding['test']}: {finding['status']} {finding['where']}: "
                f"{', '.join(finding['found'])}",
                red=True,
            )
            for line in finding["text"].splitlines()[:10]:
                writer.write_line(f"    ...{line}...")
        writer.write_line(
            f"{len(pages)} error page(s) hold personal data (conftest.py): the run fails.",
            red=True,
            bold=True,
        )
    # Counted in the closing line (entries are objects: other plugins read their __dict__).
    for key, found in (
        ("with personal data in logs", findings),
        ("with personal data in error pages", pages),
    ):
        if found:
            entries = writer.stats.setdefault(key, [])
            entries.extend(SimpleNamespace(**finding) for finding in found)
