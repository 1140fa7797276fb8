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

At the end of the run the records that hold any are printed with the test that produced
them, counted in the closing line, and the run fails (exit status 1). With pytest-xdist
each worker scans its own records and hands its findings to the controller through
xdist's `workeroutput`; the controller reports and fails. tests/test_log_scanner.py tests
this file, also under xdist.
"""

from __future__ import annotations

import functools
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


SCANNER = pytest.StashKey[PersonalDataScanner]()
FROM_WORKERS = pytest.StashKey[list[dict[str, Any]]]()
LEVELS = pytest.StashKey[dict[str, int]]()
WORKER_OUTPUT_KEY = "openregie_personal_data_in_logs"


_scanner: PersonalDataScanner | None = None  # this process's, for the runtest hooks


def pytest_configure(config: pytest.Config) -> None:
    global _scanner
    _scanner = config.stash[SCANNER] = PersonalDataScanner()
    config.stash[FROM_WORKERS] = []
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
    for name, level in config.stash[LEVELS].items():
        logging.getLogger(name).setLevel(level)


def pytest_runtest_logstart(nodeid: str) -> None:
    if _scanner is not None:
        _scanner.test = nodeid


def pytest_runtest_logfinish(nodeid: str) -> None:
    if _scanner is not None:
        _scanner.test = "(outside any test)"


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    """xdist controller: collect a finished worker's findings."""
    output = getattr(node, "workeroutput", None) or {}
    node.config.stash[FROM_WORKERS].extend(output.get(WORKER_OUTPUT_KEY, []))


def findings_of(config: pytest.Config) -> list[dict[str, Any]]:
    return config.stash[SCANNER].findings + config.stash[FROM_WORKERS]


def pytest_sessionfinish(session: pytest.Session) -> None:
    config = session.config
    if hasattr(config, "workeroutput"):  # an xdist worker: the controller reports
        config.workeroutput[WORKER_OUTPUT_KEY] = config.stash[SCANNER].findings
        return
    if findings_of(config) and session.exitstatus in (
        pytest.ExitCode.OK,
        pytest.ExitCode.NO_TESTS_COLLECTED,
    ):
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    if hasattr(config, "workeroutput"):
        return
    findings = findings_of(config)
    if not findings:
        return
    writer = terminalreporter
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
    # Counted in the closing line (entries are objects: other plugins read their __dict__).
    entries = writer.stats.setdefault("with personal data in logs", [])
    entries.extend(SimpleNamespace(**finding) for finding in findings)
