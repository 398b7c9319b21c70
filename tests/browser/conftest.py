"""Playwright driving Debian's Chromium (never `playwright install`) against the live server.

Every page a journey loads, in every browser context the test opens (visitor, member,
staff), is audited with axe-core (bundled by the PyPI package axe-playwright-python, so
nothing is fetched at run time) against the WCAG 2.1 A/AA rules that RGAA follows; a
violation of impact "serious" or "critical" fails the test.
"""

import os
import shutil

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
BLOCKING_IMPACTS = {"serious", "critical"}
SERIAL_RUN = """([context, options]) => {
  const run = (window.__axeRun || Promise.resolve()).catch(() => {}).then(() => axe.run(context, options));
  window.__axeRun = run;
  return run;
}"""
# Wagtail's own admin markup that fails, left out on /admin/ pages only (our templates are
# audited whole): Draftail's rich text box is a contenteditable role="textbox" with no
# accessible name (aria-input-field-name); its label is beside it, not tied to it.
ADMIN_EXCLUDE = [".public-DraftEditor-content"]
# The page left before axe finished (the journey clicked on): nothing to audit there. "axe is
# not defined" right after injecting it means a new document replaced the page in between:
# its own load event audits it.
NAVIGATED_AWAY = (
    "Execution context was destroyed",
    "Target page, context or browser has been closed",
    "navigation",
    "axe is not defined",
)


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


class AxeAudit:
    """Runs axe on each page load of the pages it watches and keeps the blocking violations."""

    def __init__(self):
        from axe_playwright_python.base import AXE_SCRIPT

        self.script = AXE_SCRIPT
        self.audited = []  # URLs
        self.errors = []  # axe could not run: a failure too, raised at the end of the test
        self.violations = []  # (url, rule, impact, help, targets)

    def watch_context(self, context):
        context.on("page", self.watch)

    def watch(self, page):
        page.on("load", self.check)

    def check(self, page):
        """Audit the page as it is now (tests may call it after a script changed the page)."""
        url = page.url
        if not url.startswith("http"):
            return
        try:
            if not page.evaluate("typeof window.axe !== 'undefined'"):  # not again mid-run
                page.evaluate(self.script)
            context = {"exclude": [[selector] for selector in ADMIN_EXCLUDE] if "/admin/" in url else []}
            # One run at a time per page: Playwright may deliver a load event (an audit) while
            # an explicit check awaits, and axe refuses to start while it runs.
            results = page.evaluate(SERIAL_RUN, [context, AXE_OPTIONS])
        except Exception as error:  # noqa: BLE001 - only a page left mid-audit is ignored
            # Raised here, in Playwright's event handler, it would only be printed.
            if not any(text in str(error) for text in NAVIGATED_AWAY):
                self.errors.append(f"{url}: {error}")
            return
        self.audited.append(url)
        for violation in results["violations"]:
            if violation["impact"] in BLOCKING_IMPACTS:
                targets = [self.describe(node) for node in violation["nodes"][:5]]
                self.violations.append((url, violation["id"], violation["impact"], violation["help"], targets))

    @staticmethod
    def describe(node):
        summary = (node.get("failureSummary") or "").strip().splitlines()
        return f"{' '.join(map(str, node['target']))} ({summary[-1].strip() if summary else ''}) {node['html'][:160]}"

    def report(self):
        lines = [
            f"{impact} {rule} on {url}: {help_text} — {targets}"
            for url, rule, impact, help_text, targets in self.violations
        ]
        return "axe-core found accessibility violations:\n" + "\n".join(dict.fromkeys(lines))


@pytest.fixture
def axe():
    return AxeAudit()


@pytest.fixture
def page(live_server, monkeypatch, axe):
    """A fresh Chromium per test, its relative URLs on the live server, audited by axe.

    Function-scoped on purpose: Playwright's event loop must not outlive the test, or
    Django's per-context database connections change under later tests.
    """
    if not os.path.exists(CHROMIUM):
        pytest.fail("Debian's Chromium is missing: apt-get install chromium (scripts/test does it as root).")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread; the ORM calls the
    # test makes meanwhile (fixtures, assertions) are still plain synchronous code.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        # Contexts the test opens itself (a staff member beside the visitor) are audited too.
        new_context = browser.new_context

        def audited_context(*args, **kwargs):
            # No transitions: axe measures contrast on the page at rest, not mid-fade.
            kwargs.setdefault("reduced_motion", "reduce")
            context = new_context(*args, **kwargs)
            if kwargs.get("java_script_enabled", True):  # axe is a script
                axe.watch_context(context)
            return context

        browser.new_context = audited_context
        context = browser.new_context(base_url=live_server.url, locale="fr-FR", accept_downloads=True)
        page = context.new_page()
        page.set_default_timeout(15_000)
        yield page
        context.close()
        browser.close()
        # Connections the test body opened while the loop ran belong to that context: close
        # them, or the test database cannot be dropped at the end.
        from django.db import connections

        connections.close_all()
    assert not axe.errors, "axe-core could not run: " + "; ".join(axe.errors)
    assert axe.audited, "axe-core audited no page"
    if axe.violations:
        pytest.fail(axe.report())
