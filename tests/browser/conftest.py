"""Real-browser tests: Debian's Chromium, driven by Playwright, against pytest-django's live server.

Nothing here downloads a browser: Playwright launches /usr/bin/chromium (apt-get install chromium).
Every test gets a watcher that fails it on a browser console error, an uncaught script error, a failed
request or an unexpected HTTP error status; an ``axe`` helper that runs the vendored axe-core on a page;
and a ``shot`` helper that saves screenshots under var/screenshots/browser/<test name>/.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
from pathlib import Path
from urllib.parse import urlsplit

import pytest

# Playwright's sync API keeps an asyncio event loop running in the main thread, so Django's
# "no database access from async code" guard would trip on every query the test itself makes
# (seeding, assertions, the flush after each transactional test).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from django.conf import settings  # noqa: E402
from playwright.sync_api import BrowserContext, Page  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
AXE_JS = Path(__file__).resolve().parent.parent / "vendor" / "axe" / "axe.min.js"
SCREENSHOT_ROOT = Path(settings.BASE_DIR) / "var" / "screenshots" / "browser"
# Impacts that fail a test; "minor" and "moderate" findings are printed but tolerated.
AXE_FAILING_IMPACTS = {"serious", "critical"}


def pytest_collection_modifyitems(config, items):
    """Without Chromium the browser tests are skipped on a developer's machine, but fail in CI (CI=true)."""
    if Path(CHROMIUM).exists() or os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        return
    here = Path(__file__).resolve().parent
    skip = pytest.mark.skip(reason=f"needs Debian's Chromium at {CHROMIUM}: apt-get install chromium")
    for item in items:
        if Path(str(item.fspath)).resolve().is_relative_to(here):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "headless": True, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args, live_server):
    return {
        **browser_context_args,
        "base_url": live_server.url,
        "locale": "en-GB",
        "timezone_id": "Europe/London",
        "viewport": {"width": 1280, "height": 900},
    }


class BrowserWatch:
    """Collects what went wrong in the browser: console errors, script errors, failed or refused requests."""

    def __init__(self, allowed_host: str):
        self.allowed_host = allowed_host
        self.problems: list[str] = []
        self.expected: list[tuple[int, str]] = []  # (status, path) that a test said it expects
        self._expected_urls: set[str] = set()

    def expect_status(self, status: int, path: str) -> None:
        """Tell the watcher a response with this status for this path is part of the journey."""
        self.expected.append((status, path))

    def attach(self, context: BrowserContext) -> BrowserContext:
        context.on("console", self._on_console)
        context.on("weberror", lambda error: self.problems.append(f"uncaught script error: {error.error}"))
        context.on("requestfailed", self._on_request_failed)
        context.on("request", self._on_request)
        context.on("response", self._on_response)
        return context

    def _on_request(self, request) -> None:
        host = urlsplit(request.url).netloc
        if request.url.startswith(("data:", "blob:", "about:")) or host == self.allowed_host:
            return
        self.problems.append(f"request to another host: {request.method} {request.url}")

    def _on_request_failed(self, request) -> None:
        if request.failure == "net::ERR_ABORTED":
            # Chromium fetches the favicon on its own and aborts the fetch when the test navigates on first.
            if urlsplit(request.url).path.endswith("/favicon.svg"):
                return
            # A page load that another navigation replaced before it finished (seen once in CI, on a menu click
            # while the previous page was still settling). Aborting it is what a browser does, not a fault: a
            # navigation that really fails makes the test's goto or its next expect fail, and an error status
            # is still caught by _on_response. Sub-resources (styles, scripts, images) stay watched.
            if request.is_navigation_request() and request.resource_type == "document":
                return
        self.problems.append(f"request failed: {request.method} {request.url} ({request.failure})")

    def _on_response(self, response) -> None:
        if response.status < 400:
            return
        path = urlsplit(response.url).path
        if (response.status, path) in self.expected:
            self._expected_urls.add(response.url)
            return
        self.problems.append(f"HTTP {response.status}: {response.request.method} {response.url}")

    def _on_console(self, message) -> None:
        if message.type != "error":
            return
        location = message.location.get("url", "")
        # Chromium logs every error status as "Failed to load resource"; expected ones are not errors.
        if message.text.startswith("Failed to load resource") and location in self._expected_urls:
            return
        self.problems.append(f"console error: {message.text} (at {location or 'unknown location'})")

    def check(self) -> None:
        if self.problems:
            problems, self.problems = self.problems, []
            pytest.fail("The browser reported problems:\n  " + "\n  ".join(problems), pytrace=False)


@pytest.fixture(autouse=True)
def browser_watch(context: BrowserContext, live_server) -> BrowserWatch:
    """Fails the test on any console error, failed request or unexpected status >= 400 in its browser."""
    watch = BrowserWatch(urlsplit(live_server.url).netloc)
    watch.attach(context)
    context.set_default_timeout(10_000)  # a local page that takes longer than this is a failure anyway
    yield watch
    watch.check()


@pytest.fixture
def shot(request):
    """shot(page, "label") saves a full-page screenshot as var/screenshots/browser/<test>/NN-label.png."""
    folder = SCREENSHOT_ROOT / re.sub(r"[^\w.-]+", "_", request.node.originalname)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    count = 0

    def take(page: Page, label: str) -> Path:
        nonlocal count
        count += 1
        name = re.sub(r"[^\w.-]+", "-", label).strip("-")
        path = folder / f"{count:02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


def format_violations(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:10]:
            lines.append(f"    at {' '.join(json.dumps(t) for t in node['target'])}")
            lines.append(f"       {node['html'][:200]}")
            summary = (node.get("failureSummary") or "").replace("\n", "\n         ")
            if summary:
                lines.append(f"         {summary}")
        if len(v["nodes"]) > 10:
            lines.append(f"    ... and {len(v['nodes']) - 10} more")
    return "\n".join(lines)


DUPLICATE_IDS_JS = """() => {
  const byId = new Map();
  for (const el of document.querySelectorAll("[id]")) {
    byId.set(el.id, [...(byId.get(el.id) || []), el]);
  }
  return [...byId].filter(([, els]) => els.length > 1).map(([id, els]) => {
    const labels = [...document.querySelectorAll("label")].filter((l) => l.htmlFor === id).map((l) => l.textContent.trim());
    const what = els.map((el) => `<${el.tagName.toLowerCase()} name="${el.getAttribute("name") || ""}">`).join(", ");
    return `id="${id}" on ${els.length} elements: ${what}; labels for it: ${JSON.stringify(labels)}`;
  });
}"""


class Axe:
    """Runs axe-core on pages.

    The app's Content-Security-Policy (script-src 'self') blocks the inline script that
    ``page.add_script_tag`` makes, so axe runs in a second browser context opened with
    ``bypass_csp=True`` and the same cookies (the same signed-in session) as the page under test.
    Only that context bypasses the policy: the journeys themselves run under the real one.
    """

    def __init__(self, new_context, watch: BrowserWatch):
        self._new_context = new_context
        self._watch = watch

    def page_like(self, page: Page) -> Page:
        """A new page, signed in as ``page`` is, in a context that lets axe be injected."""
        context = self._new_context(storage_state=page.context.storage_state(), bypass_csp=True)
        self._watch.attach(context)
        context.set_default_timeout(10_000)
        return context.new_page()

    def run(self, page: Page) -> list[dict]:
        page.add_script_tag(path=str(AXE_JS))
        return page.evaluate(
            "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        )

    def check(self, page: Page, label: str = "") -> list[dict]:
        """Runs axe on ``page`` as it is now; fails on serious or critical violations and on duplicate ids."""
        violations = self.run(page)
        failing = [v for v in violations if v["impact"] in AXE_FAILING_IMPACTS]
        others = [v for v in violations if v["impact"] not in AXE_FAILING_IMPACTS]
        where = f"{label or page.url} ({page.url})"
        if others:
            print(f"\naxe, minor or moderate on {where}:\n{format_violations(others)}")
        if failing:
            pytest.fail(
                f"axe found serious or critical violations on {where}:\n{format_violations(failing)}",
                pytrace=False,
            )
        self.assert_unique_ids(page, label)
        self._watch.check()
        return violations

    @staticmethod
    def assert_unique_ids(page: Page, label: str = "") -> None:
        """axe 4 no longer reports duplicate ids, but a duplicate id silently ties a <label for> (or an error
        summary's link) to the wrong field, and the other fields then have no accessible name at all."""
        duplicates = page.evaluate(DUPLICATE_IDS_JS)
        if duplicates:
            pytest.fail(
                f"duplicate ids on {label or page.url} ({page.url}); labels and links reach only the first:\n  "
                + "\n  ".join(duplicates),
                pytrace=False,
            )

    def check_url(self, page: Page, label: str = "", url: str | None = None) -> list[dict]:
        """Opens ``url`` (default: the page's current address) as the page's user and runs axe on it."""
        axe_page = self.page_like(page)
        try:
            axe_page.goto(url or page.url)
            return self.check(axe_page, label)
        finally:
            axe_page.context.close()


@pytest.fixture
def axe(new_context, browser_watch) -> Axe:
    return Axe(new_context, browser_watch)


class DemoSnapshot:
    """The whole demo (``portal.demo.seed``) for a browser test, seeded once per worker and then copied back.

    Seeding took 5 to 7 s per test, about a third of the browser tests' summed time (30 tests, 2026-11-26). The first test of a worker seeds and
    keeps each table's rows (PostgreSQL ``COPY … TO``) and the private files the demo wrote (its CVs and
    papers); every later test, on the database its predecessor's flush emptied, gets them back with ``COPY …
    FROM`` in one transaction (Django makes foreign keys deferrable, so the order of tables does not matter)
    and the files copied into its own private folder. Sequences are not reset by the flush, so new rows never
    take a snapshot row's id. Content types come back with their snapshot ids, hence the cleared cache. On
    SQLite (the worker's in-memory test database) the snapshot is a copy of the whole database made with
    SQLite's backup API, and copied back the same way. On another day than the snapshot's (a run across
    midnight) the demo is seeded afresh.
    """

    def __init__(self) -> None:
        self.day = None
        self.tables: dict[str, bytes] = {}
        self.sqlite = None  # SQLite: a copy of the whole seeded database, in memory
        self.files: Path | None = None

    def seed(self, private_root: Path) -> None:
        import io
        import tempfile

        from django.contrib.contenttypes.models import ContentType
        from django.db import connection, transaction

        from alliance.dates import local_today
        from portal import demo

        if connection.vendor not in {"postgresql", "sqlite"} or self.day != local_today():
            demo.seed()
            self.day = local_today()
            if connection.vendor == "postgresql":
                tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
                with connection.cursor() as cursor:
                    for table in tables:
                        buffer = io.BytesIO()
                        cursor.copy_expert(f'COPY "{table}" TO STDOUT', buffer)  # names from Django's own models
                        self.tables[table] = buffer.getvalue()
            elif connection.vendor == "sqlite":
                connection.ensure_connection()
                self.sqlite = sqlite3.connect(":memory:", check_same_thread=False)
                connection.connection.backup(self.sqlite)
            self.files = Path(tempfile.mkdtemp(prefix="demo-snapshot-files-"))
            if private_root.exists():
                shutil.copytree(private_root, self.files, dirs_exist_ok=True)
            return
        if connection.vendor == "sqlite":
            connection.ensure_connection()
            self.sqlite.backup(connection.connection)
        else:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("TRUNCATE " + ", ".join(f'"{t}"' for t in self.tables))
                for table, rows in self.tables.items():
                    if rows:
                        cursor.copy_expert(f'COPY "{table}" FROM STDIN', io.BytesIO(rows))
        ContentType.objects.clear_cache()
        if self.files is not None:
            shutil.copytree(self.files, private_root, dirs_exist_ok=True)


_DEMO = DemoSnapshot()


@pytest.fixture
def seeded(transactional_db, _private_files):
    """The whole demo alliance, as ``portal.demo.seed()`` makes it (see DemoSnapshot)."""
    _DEMO.seed(Path(_private_files))
