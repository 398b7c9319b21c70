"""Playwright driving Debian's Chromium (never `playwright install`) against the live server."""

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


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture
def page(live_server, monkeypatch):
    """A fresh Chromium per test, its relative URLs on the live server.

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
