"""ProConnect in the browser: a real provider on loopback (proconnect.devprovider), the
button on the login page, the prefilled registration, a sign-in and the sign-out that ends
the ProConnect session too."""

import re

import pytest
from playwright.sync_api import expect

from members.models import User
from proconnect.models import ProConnectIdentity
from tests.browser.test_layout import PHONE, shoot, too_wide
from tests.factories.directory import directory_entries, valid_siret
from tests.factories.members import PASSWORD, UserFactory
from tests.proconnect.conftest import provider  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SIRET = valid_siret(41)


@pytest.fixture
def portal(settings, live_server, provider, home_page):  # noqa: F811
    settings.PORTAL_BASE_URL = live_server.url  # the redirect_uri registered with the provider
    directory_entries(
        {"siret": SIRET, "siren": SIRET[:9], "name": "COMMUNE DE DIEULEFIT", "postcode": "26220", "city": "DIEULEFIT"}
    )
    provider.identity.update(email="lea.dupont@mairie-dieulefit.fr", given_name="Léa", usual_name="Dupont", siret=SIRET)
    return provider


def proconnect_from_home(page):
    page.goto("/")
    page.get_by_role("link", name="Se connecter").click()
    expect(page.get_by_role("link", name="Qu’est-ce que ProConnect ?")).to_have_attribute("target", "_blank")
    page.get_by_role("button", name="S’identifier avec ProConnect").click()
    expect(page.get_by_role("heading", name="ProConnect — fournisseur local de démonstration")).to_be_visible()
    page.get_by_role("button", name="Continuer").click()


def test_new_agent_registers_signs_in_and_out_with_proconnect(page, portal):
    proconnect_from_home(page)
    expect(page.get_by_role("heading", name="S'inscrire avec ProConnect")).to_be_visible()
    expect(page.get_by_text("COMMUNE DE DIEULEFIT")).to_be_visible()
    expect(page.get_by_text("lea.dupont@mairie-dieulefit.fr")).to_be_visible()
    page.get_by_label("Fonction").fill("Acheteuse publique")
    page.get_by_label("Téléphone établissement").fill("04 75 46 40 00")
    shoot(page, "1280-proconnect-inscription")
    page.get_by_role("button", name="Soumettre").click()
    expect(page.get_by_role("heading", name="Merci pour votre inscription !")).to_be_visible()
    user = User.objects.get(email="lea.dupont@mairie-dieulefit.fr")
    assert user.status == User.Status.PENDING and ProConnectIdentity.objects.filter(user=user).exists()

    User.objects.filter(pk=user.pk).update(status=User.Status.ACTIVE)  # staff validated it
    proconnect_from_home(page)
    expect(page).to_have_url(re.compile(r"/$"))  # back where "Se connecter" was clicked (?next=)
    page.get_by_role("button", name="Léa Dupont").click()
    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_text("Vous êtes déconnecté du portail et de ProConnect.")).to_be_visible()
    expect(page.get_by_role("link", name="Se connecter")).to_be_visible()
    assert len(portal.ended_sessions) == 1


def test_unknown_siret_on_a_phone(page, portal):
    page.set_viewport_size(PHONE)
    portal.identity["siret"] = valid_siret(42)
    page.goto("/")
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("link", name="Se connecter").click()
    expect(page.get_by_role("button", name="S’identifier avec ProConnect")).to_be_visible()
    assert not too_wide(page)
    shoot(page, "390-connexion-proconnect")
    page.get_by_role("button", name="S’identifier avec ProConnect").click()
    page.get_by_role("button", name="Continuer").click()
    expect(page.get_by_label("SIRET")).to_have_value(valid_siret(42))
    assert not too_wide(page)
    shoot(page, "390-proconnect-etablissement-inconnu")
    page.get_by_label("Nom de l'établissement").fill("SYNDICAT DES EAUX DU LEZ")
    page.get_by_label("Fonction").fill("Directrice")
    page.get_by_label("Téléphone établissement").fill("04 75 46 40 00")
    page.get_by_role("button", name="Soumettre").click()
    expect(page.get_by_role("heading", name="Merci pour votre inscription !")).to_be_visible()
    user = User.objects.get(email="lea.dupont@mairie-dieulefit.fr")
    assert user.establishments.get().name == "SYNDICAT DES EAUX DU LEZ"


def test_an_existing_account_is_linked_once_its_password_is_given(page, portal):
    member = UserFactory(email="lea.dupont@mairie-dieulefit.fr", first_name="Léa", last_name="Dupont")
    proconnect_from_home(page)
    expect(page.get_by_role("heading", name="Lier votre compte à ProConnect")).to_be_visible()
    page.get_by_label("Mot de passe de votre compte").fill("pas le bon")
    page.get_by_role("button", name="Lier mon compte").click()
    expect(page.get_by_text("Mot de passe incorrect.").first).to_be_visible()
    page.get_by_label("Mot de passe de votre compte").fill(PASSWORD)
    page.get_by_role("button", name="Lier mon compte").click()
    expect(page.get_by_text("Votre compte est désormais lié à ProConnect.")).to_be_visible()
    expect(page.get_by_role("button", name="Léa Dupont")).to_be_visible()
    assert ProConnectIdentity.objects.get().user == member
