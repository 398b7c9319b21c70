import io
import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from demo import sirene
from members.models import Establishment, User
from tests.browser.test_layout import PHONE, shoot, too_wide
from tests.factories.directory import directory_entries
from tests.factories.members import PASSWORD, StaffFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(autouse=True)
def offline_register(settings):
    settings.COMPANY_REGISTER_URL = "http://127.0.0.1:9"  # down: the fallback path


def register(page, base_url, *, search, pick=None, establishment=None, person):
    page.goto(f"{base_url}/compte/connexion/")
    page.get_by_role("link", name="inscrivez-vous").click()
    expect(page.get_by_role("heading", name="Informations sur l'établissement")).to_be_visible()
    page.get_by_label("Saisissez le nom, ville, code postal ou SIRET de l'établissement").press_sequentially(
        search, delay=30
    )
    if pick:
        # As-you-type results, then a click fills the regulatory fields without a reload.
        page.get_by_role("link", name=pick).click()
        expect(page.locator("#id_siret")).not_to_have_value("")
    else:
        expect(page.get_by_role("alert")).to_contain_text("ne répond pas pour le moment")
        for name, value in establishment.items():
            page.locator(f"#id_{name}").fill(value)
    page.get_by_role("button", name="Étape suivante >").click()

    expect(page.get_by_role("heading", name="Informations personnelles")).to_be_visible()
    for name, value in person.items():
        page.locator(f"#id_{name}").fill(value)
    page.locator("#id_password1").fill(PASSWORD)
    expect(page.locator(".password-strength__text")).not_to_have_text("")
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_role("button", name="Soumettre").click()
    expect(page.get_by_role("heading", name="Merci pour votre inscription !")).to_be_visible()


def login_as(page, base_url, email):
    page.goto(f"{base_url}/compte/connexion/")
    page.locator("#id_username").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()


def approve_all(page, base_url, queue_label):
    page.goto(f"{base_url}/admin/")
    page.get_by_role("link", name=re.compile(queue_label)).click()
    page.wait_for_url(re.compile(r"/admin/members/.*status=pending"))
    queue_url = page.url
    decide_links = page.locator("a[href*='/decide/']")  # row actions show on hover
    while decide_links.count():
        page.goto(base_url + decide_links.first.get_attribute("href"))
        page.get_by_label("Valider").check()
        page.get_by_role("button", name="Enregistrer la décision").click()
        expect(page.get_by_text("validé(e)")).to_be_visible()
        page.goto(queue_url)  # counted once loaded: a loaded queue, not the page being left


def test_two_registrations_approved_by_staff_then_login(live_server, page):
    directory_entries(
        {"siret": "92443595100018", "siren": "924435951", "name": "CANUT", "postcode": "69002", "city": "LYON"}
    )

    register(
        page,
        live_server.url,
        search="canut",
        pick="CANUT [SIRET: 92443595100018] - [Commune: LYON (69002)]",
        person={
            "first_name": "Jean",
            "last_name": "Dupont",
            "function": "Acheteur",
            "email": "jean.dupont@canut.org",
            "establishment_phone": "04 72 00 00 00",
        },
    )
    register(
        page,
        live_server.url,
        search="13002526500013",
        establishment={"name": "DINUM", "siren": "130025265", "postcode": "75007", "city": "PARIS"},
        person={
            "first_name": "Anne",
            "last_name": "Quentin",
            "function": "DSI",
            "email": "anne.quentin@numerique.gouv.fr",
            "establishment_phone": "01 00 00 00 00",
        },
    )
    assert set(User.objects.filter(status="pending").values_list("email", flat=True)) == {
        "jean.dupont@canut.org",
        "anne.quentin@numerique.gouv.fr",
    }
    assert Establishment.objects.get(siret="13002526500013").status == "pending"
    assert Establishment.objects.get(siret="92443595100018").status == "validated"  # registered from the directory

    # Until its address is confirmed, an account is told to follow the emailed link.
    login_as(page, live_server.url, "anne.quentin@numerique.gouv.fr")
    expect(page.get_by_text("Confirmez d'abord votre adresse e-mail")).to_be_visible()

    # Each follows the link of the email they received.
    for address in ["jean.dupont@canut.org", "anne.quentin@numerique.gouv.fr"]:
        [message] = [m for m in mail.outbox if m.to == [address]]
        assert message.subject == "Confirmez votre adresse e-mail pour le portail CANUT"
        path = re.search(r"https?://[^/\s]+(/compte/confirmer/\S+)", message.body).group(1)
        page.goto(live_server.url + path)
        expect(page.get_by_role("heading", name="Votre adresse e-mail est confirmée")).to_be_visible()
    assert not User.objects.filter(email_confirmed_at__isnull=True).exists()

    # A pending account is told why it cannot log in.
    login_as(page, live_server.url, "anne.quentin@numerique.gouv.fr")
    expect(page.get_by_text("Votre compte est en attente de validation")).to_be_visible()

    # Staff approve both accounts and the new establishment in the Wagtail admin.
    StaffFactory(email="equipe@canut.org")
    staff_page = page.context.browser.new_context(locale="fr-FR").new_page()
    staff_page.goto(f"{live_server.url}/admin/login/")
    staff_page.locator("#id_username").fill("equipe@canut.org")
    staff_page.locator("#id_password").fill(PASSWORD)
    staff_page.get_by_role("button", name=re.compile("S.identifier|Se connecter")).click()
    expect(staff_page.get_by_text("Comptes à valider")).to_be_visible()
    approve_all(staff_page, live_server.url, "Comptes à valider")
    approve_all(staff_page, live_server.url, "Établissements à valider")
    staff_page.context.close()

    assert not User.objects.filter(status="pending").exists()
    assert Establishment.objects.get(siret="13002526500013").status == "validated"
    assert sorted(m.to[0] for m in mail.outbox if m.subject == "Votre compte CANUT est activé") == [
        "anne.quentin@numerique.gouv.fr",
        "jean.dupont@canut.org",
    ]

    # The member logs in and finds their establishment.
    page.goto(f"{live_server.url}/compte/etablissements/")
    page.locator("#id_username").fill("anne.quentin@numerique.gouv.fr")
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    expect(page.get_by_role("heading", name="Mes établissements")).to_be_visible()
    expect(page.get_by_role("heading", name="DINUM")).to_be_visible()


def fits(page):
    """Nothing wider than the window: the page never scrolls sideways."""
    scroll_width, inner_width = page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
    assert scroll_width <= inner_width, f"{page.url}: {scroll_width}px in a {inner_width}px window: {too_wide(page)}"


def test_a_newcomer_on_a_phone_finds_their_commune_in_the_directory_and_registers(live_server, page):
    sirene.ensure_directory(stdout=io.StringIO())  # the demo's directory, by the real import
    page.set_viewport_size(PHONE)

    page.goto("/compte/connexion/")
    fits(page)
    page.get_by_role("link", name="inscrivez-vous").click()
    expect(page.get_by_role("heading", name="Informations sur l'établissement")).to_be_visible()
    fits(page)
    page.get_by_label("Saisissez le nom, ville, code postal ou SIRET de l'établissement").press_sequentially(
        "nyons", delay=30
    )
    # The commune's own entry among the public bodies of Nyons, long labels wrapped.
    commune = page.get_by_role("link", name="COMMUNE DE NYONS [SIRET: 21260210600016] - [Commune: NYONS (26110)]")
    expect(commune).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("CENTRE COMMUNAL D'ACTION SOCIALE DE NYONS"))).to_be_visible()
    fits(page)
    shoot(page, "390-inscription-resultats")
    commune.click()
    expect(page.locator("#id_siret")).to_have_value("21260210600016")
    expect(page.locator("#id_name")).to_have_value("COMMUNE DE NYONS")
    fits(page)
    page.get_by_role("button", name="Étape suivante >").click()

    expect(page.get_by_role("heading", name="Informations personnelles")).to_be_visible()
    for name, value in {
        "first_name": "Agnès",
        "last_name": "Martin",
        "function": "Responsable informatique",
        "email": "agnes.martin@nyons.fr",
        "establishment_phone": "04 75 26 50 00",
    }.items():
        page.locator(f"#id_{name}").fill(value)
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    fits(page)
    shoot(page, "390-inscription-personne")
    page.get_by_role("button", name="Soumettre").click()

    expect(page.get_by_role("heading", name="Merci pour votre inscription !")).to_be_visible()
    fits(page)
    shoot(page, "390-inscription-merci")
    user = User.objects.get(email="agnes.martin@nyons.fr")
    assert user.status == User.Status.PENDING
    # Taken from the directory: the establishment is created validated, with the register's address.
    [establishment] = user.establishments.all()
    assert (establishment.siret, establishment.status, establishment.city) == ("21260210600016", "validated", "NYONS")
