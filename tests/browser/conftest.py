"""The browser kit of the end-to-end and accessibility tests.

The real app runs on a free port of 127.0.0.1 (werkzeug in a thread, over the database the
test kit migrated; each test module defines the `app` fixture with the modules it needs).
Debian's chromium, driven by Playwright, visits the pages: never a browser that `playwright
install` downloads (`make test` installs Debian's). `accessibility` runs axe-core (the
`axe.min.js` the `axe-playwright-python` package ships: nothing is fetched at run time) on a
page and collects every violation of impact serious or critical of WCAG 2.1 A and AA, and
every id problem (a duplicate id, a label or ARIA reference to no element).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FAILING_IMPACTS = {"serious", "critical"}
VIEWPORT = {"width": 1280, "height": 900}

# Ids must be unique (two forms with a field of the same name would tie a label to the
# wrong input) and every id a label or ARIA attribute points at must exist. axe-core no
# longer checks the former (WCAG 2.2 made 4.1.1 obsolete); assistive technology still
# resolves `for`, `aria-labelledby` and `aria-describedby` to the first element of an id.
ID_PROBLEMS = """() => {
  const seen = new Map();
  for (const element of document.querySelectorAll("[id]")) {
    seen.set(element.id, (seen.get(element.id) || 0) + 1);
  }
  const problems = [...seen].filter(([, n]) => n > 1).map(([id, n]) => `id "${id}" ${n} times`);
  for (const element of document.querySelectorAll(
    "label[for], [aria-labelledby], [aria-describedby], [aria-controls]"
  )) {
    for (const name of ["for", "aria-labelledby", "aria-describedby", "aria-controls"]) {
      for (const id of (element.getAttribute(name) || "").split(/\\s+/).filter(Boolean)) {
        if (!document.getElementById(id)) problems.push(`${name}="${id}" names no element`);
      }
    }
  }
  return problems;
}"""


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip the browser tests, saying why, where Debian's chromium or Playwright is missing."""
    here = Path(__file__).parent
    reason = None
    if not CHROMIUM.exists():
        reason = "Debian's chromium is missing: run `make test`"
    else:
        try:
            import axe_playwright_python.sync_playwright  # noqa: F401
            import playwright.sync_api  # noqa: F401
        except ImportError:
            reason = "playwright and axe-playwright-python are dev dependencies: `make setup`"
    if reason is None:
        return
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture
def live_server(app: Any) -> Iterator[str]:
    """The app served over HTTP on a free port of 127.0.0.1; yields its base URL."""
    from werkzeug.serving import make_server

    assert not app.config["SESSION_COOKIE_SECURE"]  # plain HTTP: a demo or test setting
    server = make_server("127.0.0.1", 0, app, threaded=False)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


@pytest.fixture
def browser_page() -> Iterator[Any]:
    """A page of Debian's chromium, headless, Dutch, 1280×900."""
    from playwright import sync_api

    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            context = browser.new_context(locale="nl-NL", viewport=VIEWPORT)
            context.set_default_timeout(15_000)
            yield context.new_page()
        finally:
            browser.close()


class Accessibility:
    """Collects the accessibility problems of the pages a test checks; `assert_none()`
    fails with all of them at the end (so one run shows every page's problems)."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.problems: list[str] = []

    def check(self, page: Any, label: str, *, ids: bool = True) -> None:
        """Run axe-core (and, unless `ids=False`, the id checks) on the page as it is."""
        from axe_playwright_python.sync_playwright import Axe

        where = f"{label} ({page.url.removeprefix(self.base_url)})"
        results = Axe().run(
            page,
            options={
                "runOnly": {"type": "tag", "values": WCAG_TAGS},
                "resultTypes": ["violations"],
            },
        )
        for violation in results.response["violations"]:
            if violation.get("impact") not in FAILING_IMPACTS:
                continue
            targets = [" ".join(map(str, node["target"])) for node in violation["nodes"]]
            self.problems.append(
                f"{where}: {violation['id']} ({violation['impact']}): {violation['help']}\n"
                + "".join(f"    - {target}\n" for target in targets)
            )
        if ids:
            self.problems.extend(f"{where}: {problem}\n" for problem in page.evaluate(ID_PROBLEMS))

    def assert_none(self) -> None:
        assert not self.problems, (
            "serious or critical WCAG 2.1 AA violations (axe-core) or id problems:\n"
            + "".join(self.problems)
        )


@pytest.fixture
def accessibility(live_server: str) -> Accessibility:
    return Accessibility(live_server)
