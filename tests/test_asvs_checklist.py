"""The OWASP ASVS 4.0.3 Level 2 checklist (docs/asvs-4.0.3-l2.csv) stays complete and honest.

Every requirement has a status; a `tested` row names tests that exist (a pytest function in
a Python file, or a Makefile target that CI runs); a `not-applicable` row says why; an `open`
row says what is missing. The summary table in docs/security.md matches the file.
"""

from __future__ import annotations

import ast
import collections
import csv
import re
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHECKLIST = ROOT / "docs" / "asvs-4.0.3-l2.csv"
SECURITY_DOC = ROOT / "docs" / "security.md"
CI_SCRIPT = ROOT / ".ci" / "run"

# The requirements of OWASP ASVS 4.0.3 that apply at Level 2 (Level 1 included): the rows of
# OWASP/ASVS 4.0/docs_en/"OWASP Application Security Verification Standard 4.0.3-en.csv"
# whose level2 column is set ("✓", or a parameter such as "OS assisted"), not "o" (optional:
# only V2.8.7) and not empty (Level 3 only, or [DELETED]). 128 of them are Level 1.
OFFICIAL_L2_COUNT = 259
OFFICIAL_L1_COUNT = 128

COLUMNS = ["id", "level", "requirement", "status", "evidence", "note"]
STATUSES = ("tested", "not-applicable", "open")
ID_PATTERN = re.compile(r"V(?P<chapter>[1-9]|1[0-4])\.(?:[1-9]\d?)\.(?:[1-9]\d?)")
CHAPTERS = {
    "V1": "Architecture, design and threat modeling",
    "V2": "Authentication",
    "V3": "Session management",
    "V4": "Access control",
    "V5": "Validation, sanitization and encoding",
    "V6": "Stored cryptography",
    "V7": "Error handling and logging",
    "V8": "Data protection",
    "V9": "Communication",
    "V10": "Malicious code",
    "V11": "Business logic",
    "V12": "Files and resources",
    "V13": "API and web service",
    "V14": "Configuration",
}
SUMMARY_START = (
    "<!-- asvs-summary: generated from docs/asvs-4.0.3-l2.csv, "
    "checked by tests/test_asvs_checklist.py -->"
)
SUMMARY_END = "<!-- /asvs-summary -->"

Row = Mapping[str, str]


def load_checklist(path: Path = CHECKLIST) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames != COLUMNS:
            raise AssertionError(f"{path.name}: columns must be {COLUMNS}, got {reader.fieldnames}")
        return [dict(row) for row in reader]


@cache
def _test_functions(path: Path) -> frozenset[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return frozenset(
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.name.startswith("test_")
    )


@cache
def _ci_make_targets() -> frozenset[str]:
    """Makefile targets that exist and that the CI script runs."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    defined = set(re.findall(r"^([A-Za-z][\w-]*):", makefile, flags=re.MULTILINE))
    run = set(re.findall(r"\bmake\s+([A-Za-z][\w-]*)", CI_SCRIPT.read_text(encoding="utf-8")))
    return frozenset(defined & run)


def evidence_problems(evidence: str) -> list[str]:
    """What is wrong with the evidence of a `tested` row: `path::test_name` items separated by
    `;` (a Python test file and a test function in it, or `Makefile::target` run by CI)."""
    items = [item.strip() for item in evidence.split(";") if item.strip()]
    if not items:
        return ["names no test"]
    problems = []
    for item in items:
        path_text, separator, name = item.rpartition("::")
        if not separator or not path_text or not name:
            problems.append(f"{item!r} is not path::test_name")
            continue
        path_text = path_text.split("::")[0]  # path::Class::test_name
        path = ROOT / path_text
        if not path.is_file():
            problems.append(f"{path_text} does not exist")
        elif path.name == "Makefile":
            if name not in _ci_make_targets():
                problems.append(f"{name} is no Makefile target that .ci/run runs")
        elif path.suffix != ".py":
            problems.append(f"{path_text} is neither a Python test file nor the Makefile")
        elif name not in _test_functions(path):
            problems.append(f"{path_text} has no test function {name}")
    return problems


def checklist_problems(rows: Iterable[Row], expected_count: int = OFFICIAL_L2_COUNT) -> list[str]:
    """Every reason the checklist is not acceptable; empty when it is."""
    rows = list(rows)
    problems = []
    seen: set[str] = set()
    chapters: set[str] = set()
    for number, row in enumerate(rows, start=2):  # line 1 is the header
        rid = (row.get("id") or "").strip()
        where = f"line {number} ({rid or 'no id'})"
        match = ID_PATTERN.fullmatch(rid)
        if match is None:
            problems.append(f"{where}: id is not of the form V<chapter>.<section>.<item>")
        else:
            chapters.add(f"V{match['chapter']}")
        if rid in seen:
            problems.append(f"{where}: id occurs twice")
        seen.add(rid)
        if (row.get("level") or "").strip() not in ("1", "2"):
            problems.append(f"{where}: level must be 1 or 2")
        if not (row.get("requirement") or "").strip():
            problems.append(f"{where}: the requirement text is empty")
        status = (row.get("status") or "").strip()
        evidence = (row.get("evidence") or "").strip()
        if status not in STATUSES:
            problems.append(f"{where}: status {status!r} is not one of {', '.join(STATUSES)}")
        elif status == "tested":
            problems.extend(f"{where}: evidence {p}" for p in evidence_problems(evidence))
        elif status == "not-applicable" and not evidence:
            problems.append(f"{where}: a not-applicable requirement needs the reason")
        elif status == "open" and not evidence:
            problems.append(f"{where}: an open requirement needs what is missing")
    missing = sorted(set(CHAPTERS) - chapters, key=lambda c: int(c[1:]))
    if missing:
        problems.append(f"no requirement of chapter(s) {', '.join(missing)}")
    if len(rows) != expected_count:
        problems.append(f"{len(rows)} requirements, the official Level 2 set has {expected_count}")
    return problems


def summary_table(rows: Iterable[Row]) -> str:
    """The per-chapter status counts, as the Markdown table docs/security.md shows."""
    counts: dict[str, collections.Counter[str]] = {c: collections.Counter() for c in CHAPTERS}
    for row in rows:
        counts[row["id"].split(".")[0]][row["status"]] += 1
    total: collections.Counter[str] = sum(counts.values(), collections.Counter())
    lines = [
        "| Chapter | tested | not-applicable | open | total |",
        "|---|---:|---:|---:|---:|",
    ]
    for chapter, title in CHAPTERS.items():
        c = counts[chapter]
        cells = [c[s] for s in STATUSES]
        lines.append(f"| {chapter} {title} | " + " | ".join(map(str, [*cells, sum(cells)])) + " |")
    cells = [total[s] for s in STATUSES]
    lines.append("| **All** | " + " | ".join(f"**{n}**" for n in [*cells, sum(cells)]) + " |")
    return "\n".join(lines)


def _summary_in_doc() -> str:
    text = SECURITY_DOC.read_text(encoding="utf-8")
    start, end = text.index(SUMMARY_START) + len(SUMMARY_START), text.index(SUMMARY_END)
    return text[start:end].strip()


def test_every_requirement_has_a_valid_status_and_checkable_evidence():
    rows = load_checklist()
    assert checklist_problems(rows) == []
    assert sum(row["level"] == "1" for row in rows) == OFFICIAL_L1_COUNT


def test_a_requirement_with_an_empty_status_fails_the_check():
    rows = load_checklist()
    tampered = [dict(row) for row in rows]
    victim = next(row for row in tampered if row["id"] == "V2.4.1")
    victim["status"] = ""
    problems = checklist_problems(tampered)
    assert problems and all("V2.4.1" in problem for problem in problems)
    assert "status '' is not one of" in problems[0]


def test_evidence_naming_a_test_that_does_not_exist_fails_the_check():
    tampered = [dict(row) for row in load_checklist()]
    tested = next(row for row in tampered if row["status"] == "tested")
    tested["evidence"] += " ; tests/test_asvs_checklist.py::test_that_was_never_written"
    not_applicable = next(row for row in tampered if row["status"] == "not-applicable")
    not_applicable["evidence"] = ""
    problems = checklist_problems(tampered)
    assert len(problems) == 2
    assert "has no test function test_that_was_never_written" in problems[0]
    assert "needs the reason" in problems[1]


def test_a_missing_chapter_a_duplicate_and_a_short_list_fail_the_check():
    rows = [row for row in load_checklist() if not row["id"].startswith("V10.")]
    rows.append(dict(rows[0]))
    problems = checklist_problems(rows)
    assert any("occurs twice" in p for p in problems)
    assert any(p == "no requirement of chapter(s) V10" for p in problems)
    assert any(p.endswith(f"the official Level 2 set has {OFFICIAL_L2_COUNT}") for p in problems)


def test_the_summary_in_security_md_matches_the_checklist():
    expected = summary_table(load_checklist())
    assert _summary_in_doc() == expected, f"replace the table in docs/security.md by:\n{expected}"
