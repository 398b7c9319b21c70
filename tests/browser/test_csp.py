"""Under the Content-Security-Policy the site's scripts run, and an injected inline script does not."""

import pytest
from playwright.sync_api import expect

from tests.factories.directory import directory_entries
from tests.factories.markets import MarketPageFactory
from tests.factories.members import PASSWORD, StaffFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# Recorded by the page itself: every violation the browser reports.
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


@pytest.fixture
def watched(page):
    console = []
    page.on("console", lambda message: console.append(message.text))
    page.add_init_script(RECORD_VIOLATIONS)
    return page, console


def violations(page, console):
    return page.evaluate("window.__violations") + [text for text in console if "Content Security Policy" in text]


def test_site_scripts_run_without_violations(watched, market_index, settings):
    settings.COMPANY_REGISTER_URL = "http://127.0.0.1:9"
    page, console = watched
    MarketPageFactory(parent=market_index, title="Téléphonie mobile")
    directory_entries(
        {"siret": "92443595100018", "siren": "924435951", "name": "CANUT", "postcode": "69002", "city": "LYON"}
    )
    for url in ("/", "/marches/", "/marches/?q=telephonie", "/assistance/", "/compte/connexion/"):
        page.goto(url)
        assert violations(page, console) == [], url

    # establishment-search.js: results as one types, only if the script runs.
    page.goto("/compte/inscription/")
    page.get_by_label("Saisissez le nom, ville, code postal ou SIRET de l'établissement").press_sequentially(
        "canut", delay=30
    )
    page.get_by_role("link", name="CANUT [SIRET: 92443595100018] - [Commune: LYON (69002)]").click()
    expect(page.locator("#id_siret")).to_have_value("92443595100018")
    assert violations(page, console) == []


def test_an_injected_inline_script_is_blocked(watched, home_page):
    page, console = watched
    page.goto("/")
    page.evaluate(
        """() => {
          const script = document.createElement("script");
          script.textContent = "window.__injected = true";
          document.body.appendChild(script);
          const div = document.createElement("div");
          div.innerHTML = '<img alt="" src="x" onerror="window.__handler = true">';
          document.body.appendChild(div);
        }"""
    )
    page.wait_for_timeout(300)
    assert page.evaluate("window.__injected") is None
    assert page.evaluate("window.__handler") is None
    assert any(v.startswith("script-src") for v in page.evaluate("window.__violations"))


def test_the_admin_still_works(watched, home_page):
    page, console = watched
    staff = StaffFactory(email="equipe@canut.org", is_superuser=True)
    page.goto(f"/compte/connexion/?next=/admin/pages/{home_page.pk}/edit/")
    page.get_by_label("Adresse e-mail").fill(staff.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    # The editor is heavy: its scripts draw the form and the actions once loaded.
    expect(page.locator("form#page-edit-form")).to_be_visible(timeout=30_000)
    expect(page.get_by_role("button", name="Enregistrer le brouillon")).to_be_visible(timeout=30_000)
    page.wait_for_load_state("networkidle")
    assert violations(page, console) == []
