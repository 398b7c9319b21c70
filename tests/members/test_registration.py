import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from directory.company_register import UNAVAILABLE_MESSAGE
from members.models import Establishment, User
from members.services import user_register
from tests.factories.directory import directory_entries, valid_siren, valid_siret
from tests.factories.members import PASSWORD, EstablishmentFactory

pytestmark = pytest.mark.django_db

STEP1 = reverse("members:register")
STEP2 = reverse("members:register_personal")
DONE = reverse("members:register_done")
NYONS_SIRET = "21260209800015"


@pytest.fixture
def directory():
    return directory_entries(
        {
            "siret": "92443595100018",
            "siren": "924435951",
            "name": "CANUT",
            "postcode": "69002",
            "city": "LYON",
            "street_number": "4",
            "street_name": "PLACE AMEDEE BONNET",
            "ape_code": "84.13Z",
        },
        {
            "siret": "19693045700011",
            "siren": "196930457",
            "name": "LYCEE PROFESSIONNEL LES CANUTS",
            "postcode": "69120",
            "city": "VAULX-EN-VELIN",
        },
    )


def establishment_data(**overrides):
    return {
        "name": "COMMUNE DE NYONS",
        "siren": NYONS_SIRET[:9],
        "siret": NYONS_SIRET,
        "ape_code": "84.11Z",
        "chorus_code": "",
        "street_number": "",
        "street_name": "BUFFAVEN",
        "address_complement": "",
        "postcode": "26110",
        "city": "NYONS",
        "special_distribution": "",
        "cedex_code": "",
        "cedex_label": "",
        "billing_address": "",
        **overrides,
    }


def personal_data(**overrides):
    return {
        "first_name": "Anne",
        "last_name": "Quentin",
        "function": "DGS",
        "email": "a.quentin@nyons.fr",
        "establishment_phone": "04 75 26 50 00",
        "professional_phone": "",
        "password1": PASSWORD,
        "password2": PASSWORD,
        **overrides,
    }


def complete_step1(client, **overrides):
    response = client.post(STEP1, establishment_data(**overrides))
    assert response.status_code == 302 and response.url == STEP2, response.content.decode()[:3000]
    return response


# Step 1 ----------------------------------------------------------------------------------


def test_the_login_page_leads_to_registration(client):
    page = client.get(reverse("members:login")).content.decode()
    assert STEP1 in page and "inscrivez-vous" in page and reverse("members:password_reset") in page


def test_search_lists_directory_matches_without_javascript(client, directory):
    page = client.get(STEP1, {"q": "canut"}).content.decode()
    assert "CANUT [SIRET: 92443595100018] - [Commune: LYON (69002)]" in page
    assert "LYCEE PROFESSIONNEL LES CANUTS [SIRET: 19693045700011] - [Commune: VAULX-EN-VELIN (69120)]" in page
    assert "siret=92443595100018" in page  # a plain link picks it


def test_the_as_you_type_endpoint_returns_the_same_list(client, directory):
    response = client.get(reverse("members:establishment_search"), {"q": "lycee can"})
    page = response.content.decode()
    assert response.status_code == 200 and "<html" not in page
    assert "19693045700011" in page and "data-establishment" in page and "92443595100018" not in page


def test_choosing_a_result_fills_the_fields(client, directory):
    page = client.get(STEP1, {"q": "canut", "siret": "92443595100018"}).content.decode()
    assert (
        'value="CANUT"' in page
        and 'value="924435951"' in page
        and 'value="92443595100018"' in page
        and 'value="84.13Z"' in page
    )


def test_unknown_establishment_asks_the_register(client, register_api):
    page = client.get(STEP1, {"q": "direction interministerielle"}).content.decode()
    assert "DIRECTION INTERMINISTERIELLE DU NUMERIQUE [SIRET: 13002526500013] - [Commune: PARIS (75007)]" in page
    page = client.get(STEP1, {"q": "direction interministerielle", "siret": "13002526500013"}).content.decode()
    assert 'value="130025265"' in page and 'value="AVENUE DE SEGUR"' in page


def test_register_down_shows_the_fallback_and_keeps_what_was_typed(client):
    # The autouse fixture points the register at a closed port.
    page = client.get(STEP1, {"q": "13002526500013"}).content.decode()
    assert UNAVAILABLE_MESSAGE.replace("'", "&#x27;") in page
    # Said once, to a public body, with where to go next: the form below and the assistance.
    assert page.count("ne répond pas") == 1
    assert "entreprise" not in page.split('id="establishment-results"')[1].split("</div>")[0]
    assert "notre service support" not in page
    assert 'href="#etablissement">Saisissez ses informations' in page
    assert f'href="{reverse("assistance:request")}?depuis=/compte/inscription/&amp;sujet=inscription-et-compte"' in page
    assert 'value="13002526500013"' in page  # in the search box and in the SIRET field
    assert 'value="130025265"' in page
    complete_step1(client, name="DINUM", siren="130025265", siret="13002526500013")


@pytest.mark.parametrize(
    "siren, siret, message",
    [
        ("924435951", "9244359510001A", "Le SIRET ne doit contenir que des chiffres."),
        ("924435951", "924435951000", "Le SIRET compte 14 chiffres (12 saisis)."),
        ("924435951", "92443595100019", "Ce SIRET n&#x27;existe pas"),
        ("92443595", "92443595100018", "Le SIREN compte 9 chiffres (8 saisis)."),
        ("196930457", "92443595100018", "Le SIRET doit commencer par le SIREN"),
    ],
)
def test_step1_refuses_bad_numbers(client, siren, siret, message):
    response = client.post(STEP1, establishment_data(siren=siren, siret=siret))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()


def test_la_poste_sirets_are_accepted(client):
    # La Poste's SIRETs break the Luhn rule: their digits add up to a multiple of 5.
    complete_step1(client, name="LA POSTE", siren="356000000", siret="35600000000048")


def test_step2_needs_step1(client):
    assert client.get(STEP2).url == STEP1


# Step 2 ----------------------------------------------------------------------------------


def test_register_with_a_directory_establishment(client, directory):
    complete_step1(client, **{k: v for k, v in directory[0].as_establishment_data().items()}, chorus_code="CHORUS-1")
    response = client.post(STEP2, personal_data(email="Jean.Dupont@canut.org"))
    assert response.url == DONE
    page = client.get(DONE).content.decode()
    assert "Merci pour votre inscription !" in page
    assert "cliquez sur le lien qu'il contient pour confirmer votre adresse" in page.replace("&#x27;", "'")
    user = User.objects.get(email="jean.dupont@canut.org")
    assert user.status == User.Status.PENDING and user.check_password(PASSWORD)
    establishment = user.establishments.get()
    assert (establishment.siret, establishment.status, establishment.chorus_code) == (
        "92443595100018",
        "validated",
        "CHORUS-1",
    )
    assert establishment.street_name == "PLACE AMEDEE BONNET"
    assert mail.outbox == []  # the confirmation link leaves once the registration commits


def test_register_with_a_new_establishment_waits_for_validation(client):
    complete_step1(client)
    client.post(STEP2, personal_data())
    establishment = Establishment.objects.get(siret=NYONS_SIRET)
    assert establishment.status == Establishment.Status.PENDING
    assert list(establishment.users.values_list("email", flat=True)) == ["a.quentin@nyons.fr"]
    assert establishment.created_by.email == "a.quentin@nyons.fr"


def test_a_known_siret_reuses_its_establishment(client):
    known = EstablishmentFactory(siret=NYONS_SIRET, siren=NYONS_SIRET[:9], name="COMMUNE DE NYONS")
    complete_step1(client, name="Mairie de Nyons (typo)")
    client.post(STEP2, personal_data())
    assert Establishment.objects.count() == 1
    known.refresh_from_db()
    assert known.name == "COMMUNE DE NYONS"
    # Known already (here without users): joining it is a request staff decide.
    assert not known.users.filter(email="a.quentin@nyons.fr").exists()
    assert known.pending_changes.filter(requested_by__email="a.quentin@nyons.fr").exists()


def test_previous_step_keeps_what_was_typed(client):
    complete_step1(client, chorus_code="CH-42")
    response = client.post(STEP2, {**personal_data(first_name="Aurélie", function="Acheteuse"), "previous": "1"})
    assert response.url == STEP1
    page = client.get(STEP1).content.decode()
    assert 'value="CH-42"' in page and 'value="COMMUNE DE NYONS"' in page
    complete_step1(client, chorus_code="CH-42")
    page = client.get(STEP2).content.decode()
    assert 'value="Aurélie"' in page and 'value="Acheteuse"' in page and 'value="a.quentin@nyons.fr"' in page
    assert PASSWORD not in page  # passwords are never kept


@pytest.mark.parametrize(
    "email",
    ["anne.quentin@gmail.com", "aq@yahoo.fr", "aq@orange.fr", "aq@hotmail.co.uk", "aq@laposte.net", "aq@free.fr"],
)
def test_personal_emails_are_refused(client, email):
    complete_step1(client)
    page = client.post(STEP2, personal_data(email=email)).content.decode()
    assert "Seules les adresses e-mail professionnelles sont acceptées" in page
    assert not User.objects.exists()


def test_professional_lookalikes_are_accepted(client):
    complete_step1(client)
    client.post(STEP2, personal_data(email="dsi@orange-business.com"))
    assert User.objects.filter(email="dsi@orange-business.com").exists()


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"password2": "Autre-Chose-2026!"}, "Les deux mots de passe ne sont pas identiques."),
        ({"password1": "123456789012", "password2": "123456789012"}, "entièrement numérique"),
        ({"password1": "court", "password2": "court"}, "trop court"),
        ({"establishment_phone": ""}, "Champ requis."),
        ({"establishment_phone": "abc"}, "Saisissez un numéro de téléphone"),
    ],
)
def test_step2_refusals(client, overrides, message):
    complete_step1(client)
    page = client.post(STEP2, personal_data(**overrides)).content.decode()
    assert message in page
    assert not User.objects.exists()


def test_an_email_already_registered_gets_a_clear_message_by_email(client, django_capture_on_commit_callbacks):
    # The screen answers as for a new account (nobody learns who has one); the address's
    # owner is told by email.
    User.objects.create_user("a.quentin@nyons.fr", "Un-Autre-Mot-2026!", first_name="Anne", status="active")
    complete_step1(client)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(STEP2, personal_data(email="A.Quentin@nyons.fr"))
    assert response.url == DONE
    assert User.objects.count() == 1 and not Establishment.objects.exists()
    [email] = mail.outbox
    assert email.to == ["a.quentin@nyons.fr"] and email.subject == "Vous avez déjà un compte CANUT"
    assert "un compte existe déjà avec cette adresse" in email.body and "/compte/mot-de-passe-oublie/" in email.body


def test_double_submit_creates_one_account(client):
    complete_step1(client)
    first = client.post(STEP2, personal_data())
    second = client.post(STEP2, personal_data())
    assert first.url == second.url == DONE
    assert User.objects.count() == 1 and Establishment.objects.count() == 1


def test_a_racing_double_submit_lands_on_the_thanks_page(client, django_capture_on_commit_callbacks):
    # The second request read the session before the first finished: its insert collides.
    complete_step1(client)
    user_register(
        email="a.quentin@nyons.fr",
        password=PASSWORD,
        first_name="Anne",
        last_name="Quentin",
        function="DGS",
        establishment_phone="04 75 26 50 00",
        establishment=establishment_data(),
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(STEP2, personal_data())
    assert response.url == DONE
    assert User.objects.count() == 1
    assert mail.outbox == []  # the same person: no "you already have an account" email


def test_logged_in_members_are_not_asked_to_register(client):
    user = User.objects.create_user("membre@canut.org", PASSWORD, status="active")
    client.force_login(user)
    assert client.get(STEP1).url == reverse("members:establishments")


def test_csrf_is_enforced_on_registration():
    client = Client(enforce_csrf_checks=True)
    assert client.post(STEP1, establishment_data()).status_code == 403
    page = client.get(STEP1)
    token = page.cookies["csrftoken"].value
    response = client.post(STEP1, {**establishment_data(), "csrfmiddlewaretoken": token})
    assert response.status_code == 302


def test_valid_siren_helpers_are_valid():
    from core.validators import validate_siren, validate_siret

    assert validate_siren(valid_siren(3)) and validate_siret(valid_siret(3))


def test_nothing_found_offers_the_form_and_the_assistance_once(client, directory, register_api):
    register_api.answers.append((200, {}, {"results": [], "total_results": 0}))
    page = client.get(STEP1, {"q": "zzzz introuvable"}).content.decode()
    assert "Aucun établissement public ne correspond" in page
    assert page.count("Saisissez ses informations dans le formulaire ci-dessous") == 1
    assert page.count("Contactez l'assistance de la CANUT") == 1


def test_results_fetched_by_the_script_link_the_assistance_from_the_page(client, directory):
    response = client.get(
        reverse("members:establishment_search"), {"q": "zzzz"}, headers={"referer": "http://testserver" + STEP1}
    )
    assert "depuis=/compte/inscription/&amp;" in response.content.decode()
