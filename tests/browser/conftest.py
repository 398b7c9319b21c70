"""Playwright driving Debian's Chromium (never `playwright install`)."""

import os

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM calls in the test
# body are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def page():
    """A fresh Chromium per test. Function-scoped on purpose: Playwright's event loop must not
    outlive the test, or Django's per-context database connections (and the serialized data
    that transactional tests restore after their flush) change under later tests."""
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's Chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(locale="fr-FR", accept_downloads=True)
        page = context.new_page()
        page.set_default_timeout(15000)
        yield page
        context.close()
        browser.close()
        # Database connections opened by the test body while the loop ran belong to that
        # context: close them, or the test database cannot be dropped at the end.
        from django.db import connections

        connections.close_all()
