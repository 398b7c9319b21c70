"""The whole ProConnect flow over HTTP against a real OpenID Connect provider on loopback."""

import pytest
import requests
from axes.models import AccessAttempt
from django.core import mail
from wagtail.models import Site

from members.models import Establishment, PendingChange, User
from proconnect.devprovider import subject_for
from proconnect.models import ProConnectIdentity, ProConnectSettings
from tests.factories.directory import directory_entries, valid_siret
from tests.factories.members import PASSWORD, EstablishmentFactory, UserFactory

from .conftest import query_of

pytestmark = pytest.mark.django_db

KNOWN_SIRET = valid_siret(31)
AGENT = {"email": "lea.dupont@mairie-dieulefit.fr", "given_name": "Léa", "usual_name": "Dupont"}
CONTACT = {"agent-function": "Acheteuse publique", "agent-establishment_phone": "04 75 46 40 00"}


@pytest.fixture
def directory_entry(db):
    return directory_entries(
        {
            "siret": KNOWN_SIRET,
            "siren": KNOWN_SIRET[:9],
            "name": "COMMUNE DE DIEULEFIT",
            "postcode": "26220",
            "city": "DIEULEFIT",
        }
    )[0]


# The button -------------------------------------------------------------------------------


def test_button_on_login_and_registration_pages_when_configured(client, provider, home_page):
    for url in ("/compte/connexion/", "/compte/inscription/"):
        page = client.get(url).content.decode()
        assert "S’identifier avec" in page and "ProConnect</span>" in page
        assert 'title="Qu’est-ce que ProConnect ? - nouvelle fenêtre"' in page
        assert 'action="/compte/proconnect/connexion/"' in page


def test_off_unless_configured(client, home_page, settings):
    settings.PROCONNECT_CLIENT_ID = ""
    assert "ProConnect" not in client.get("/compte/connexion/").content.decode()
    assert client.post("/compte/proconnect/connexion/").status_code == 404
    assert client.get("/compte/proconnect/retour/?code=x&state=y").status_code == 404


def test_start_sends_state_nonce_and_pkce(journey, provider):
    params = journey.start()
    assert len(params["state"]) >= 32 and len(params["nonce"]) >= 32
    assert params["code_challenge_method"] == "S256" and params["code_challenge"]
    assert params["scope"].split()[0] == "openid" and "siret" in params["scope"]
    assert params["redirect_uri"].endswith("/compte/proconnect/retour/")


def test_start_is_a_post_only(client, provider, home_page):
    assert client.get("/compte/proconnect/connexion/").status_code == 405


# New agents ------------------------------------------------------------------------------


def test_new_agent_with_a_siret_of_the_directory(journey, directory_entry):
    response = journey.sign_in(**AGENT, siret=KNOWN_SIRET)
    assert response.status_code == 302 and response["Location"] == "/compte/proconnect/inscription/"
    page = journey.client.get("/compte/proconnect/inscription/").content.decode()
    assert "Léa Dupont" in page and AGENT["email"] in page and "COMMUNE DE DIEULEFIT" in page
    assert 'name="etablissement-siret"' not in page  # nothing to type about the establishment

    response = journey.client.post("/compte/proconnect/inscription/", CONTACT)
    assert response.status_code == 302 and response["Location"] == "/compte/proconnect/inscription/merci/"
    user = User.objects.get(email=AGENT["email"])
    assert (user.first_name, user.last_name, user.function) == ("Léa", "Dupont", "Acheteuse publique")
    assert user.status == User.Status.PENDING and user.email_confirmed  # no confirmation link
    assert not user.has_usable_password()
    assert ProConnectIdentity.objects.get(user=user).sub == subject_for(AGENT["email"])
    establishment = user.establishments.get()
    assert establishment.siret == KNOWN_SIRET and establishment.name == "COMMUNE DE DIEULEFIT"
    assert mail.outbox == []
    assert "Merci pour votre inscription" in journey.client.get(response["Location"]).content.decode()

    # Staff have not validated it yet: ProConnect does not let it in either.
    response = journey.sign_in(**AGENT, siret=KNOWN_SIRET)
    assert response.status_code == 403 and "en attente de validation" in response.content.decode()
    assert "_auth_user_id" not in journey.client.session

    User.objects.filter(pk=user.pk).update(status=User.Status.ACTIVE)
    response = journey.sign_in(**AGENT, siret=KNOWN_SIRET)
    assert response.status_code == 302 and response["Location"] == "/compte/tableau-de-bord/"
    assert journey.client.session["_auth_user_id"] == str(user.pk)


def test_new_agent_with_an_unknown_siret_fills_the_establishment_form_prefilled(journey):
    siret = valid_siret(77)
    journey.sign_in(**AGENT, siret=siret)
    page = journey.client.get("/compte/proconnect/inscription/").content.decode()
    assert f'value="{siret}"' in page and f'value="{siret[:9]}"' in page
    assert "n'est pas dans notre annuaire" in page

    response = journey.client.post("/compte/proconnect/inscription/", CONTACT)
    assert response.status_code == 400 and not User.objects.filter(email=AGENT["email"]).exists()

    establishment = {
        "etablissement-name": "SYNDICAT DES EAUX DU LEZ",
        "etablissement-siren": siret[:9],
        "etablissement-siret": siret,
        "etablissement-postcode": "26230",
        "etablissement-city": "GRIGNAN",
    }
    response = journey.client.post("/compte/proconnect/inscription/", {**CONTACT, **establishment})
    assert response.status_code == 302, response.content.decode()[:2000]
    user = User.objects.get(email=AGENT["email"])
    created = user.establishments.get()
    assert created.name == "SYNDICAT DES EAUX DU LEZ" and created.status == Establishment.Status.PENDING


def test_joining_a_registered_establishment_is_a_request_its_users_hear_of(
    journey, directory_entry, django_capture_on_commit_callbacks
):
    colleague = UserFactory(email="maire@mairie-dieulefit.fr")
    establishment = EstablishmentFactory(siret=KNOWN_SIRET, siren=KNOWN_SIRET[:9], users=[colleague])
    journey.sign_in(**AGENT, siret=KNOWN_SIRET)
    with django_capture_on_commit_callbacks(execute=True):
        journey.client.post("/compte/proconnect/inscription/", CONTACT)
    user = User.objects.get(email=AGENT["email"])
    assert not user.establishments.exists()
    change = PendingChange.objects.get(requested_by=user, kind=PendingChange.Kind.ATTACHMENT)
    assert change.establishment == establishment
    assert [message.to for message in mail.outbox] == [[colleague.email]]


def test_trusted_siret_joins_a_validated_establishment_at_once_and_tells_its_users(
    journey, directory_entry, django_capture_on_commit_callbacks
):
    colleague = UserFactory(email="maire@mairie-dieulefit.fr")
    establishment = EstablishmentFactory(siret=KNOWN_SIRET, siren=KNOWN_SIRET[:9], users=[colleague])
    ProConnectSettings.objects.update_or_create(
        site=Site.objects.get(is_default_site=True), defaults={"trust_siret": True}
    )
    journey.sign_in(**AGENT, siret=KNOWN_SIRET)
    with django_capture_on_commit_callbacks(execute=True):
        response = journey.client.post("/compte/proconnect/inscription/", CONTACT)
    user = User.objects.get(email=AGENT["email"])
    assert list(user.establishments.all()) == [establishment]
    assert user.status == User.Status.PENDING  # the account still waits for staff
    assert not PendingChange.objects.filter(requested_by=user).exists()
    assert [message.to for message in mail.outbox] == [[colleague.email]]
    assert "Léa Dupont" in mail.outbox[0].body and "ProConnect" in mail.outbox[0].body
    assert "dont les utilisateurs sont informés" in journey.client.get(response["Location"]).content.decode()


def test_trust_does_not_apply_to_an_establishment_staff_have_not_validated(journey, directory_entry):
    EstablishmentFactory(
        siret=KNOWN_SIRET, siren=KNOWN_SIRET[:9], status=Establishment.Status.PENDING, users=[UserFactory()]
    )
    ProConnectSettings.objects.update_or_create(
        site=Site.objects.get(is_default_site=True), defaults={"trust_siret": True}
    )
    journey.sign_in(**AGENT, siret=KNOWN_SIRET)
    journey.client.post("/compte/proconnect/inscription/", CONTACT)
    user = User.objects.get(email=AGENT["email"])
    assert not user.establishments.exists()
    assert PendingChange.objects.filter(requested_by=user).exists()


def test_personal_email_is_refused_as_at_registration(journey):
    response = journey.sign_in(email="lea.dupont@gmail.com", given_name="Léa", usual_name="Dupont", siret=KNOWN_SIRET)
    assert response.status_code == 403
    assert "messagerie personnelle" in response.content.decode()
    assert journey.client.get("/compte/proconnect/inscription/").status_code == 302
    assert not User.objects.filter(email="lea.dupont@gmail.com").exists()


def test_registration_page_needs_a_verified_identity(client, provider, home_page):
    response = client.get("/compte/proconnect/inscription/")
    assert response.status_code == 302 and response["Location"] == "/compte/connexion/"


# Known accounts --------------------------------------------------------------------------


def test_known_email_is_never_linked_silently_then_linked_by_password(journey):
    member = UserFactory(email=AGENT["email"])
    response = journey.sign_in(**AGENT, siret=KNOWN_SIRET)
    assert response["Location"] == "/compte/proconnect/lier-mon-compte/"
    assert "_auth_user_id" not in journey.client.session
    assert not ProConnectIdentity.objects.exists()

    response = journey.client.post("/compte/proconnect/lier-mon-compte/", {"password": "pas-le-bon"})
    assert response.status_code == 200 and "Mot de passe incorrect" in response.content.decode()
    assert not ProConnectIdentity.objects.exists()

    response = journey.client.post("/compte/proconnect/lier-mon-compte/", {"password": PASSWORD})
    assert response.status_code == 302
    assert ProConnectIdentity.objects.get().user == member
    assert journey.client.session["_auth_user_id"] == str(member.pk)

    journey.client.logout()
    response = journey.sign_in(**AGENT, siret=KNOWN_SIRET)
    assert response.status_code == 302 and journey.client.session["_auth_user_id"] == str(member.pk)


def test_known_email_linked_by_an_emailed_link(journey, django_capture_on_commit_callbacks):
    member = UserFactory(email=AGENT["email"])
    journey.sign_in(**AGENT, siret=KNOWN_SIRET)
    with django_capture_on_commit_callbacks(execute=True):
        response = journey.client.post("/compte/proconnect/lier-mon-compte/", {"send_link": "1"})
    assert response.status_code == 302 and not ProConnectIdentity.objects.exists()
    (message,) = mail.outbox
    assert message.to == [member.email]
    path = (
        "/compte/proconnect/lier-mon-compte/" + message.body.split("/compte/proconnect/lier-mon-compte/")[1].split()[0]
    )
    assert journey.client.get(path).status_code == 200 and not ProConnectIdentity.objects.exists()  # GET links nothing
    response = journey.client.post(path)
    assert response.status_code == 200 and "est lié à ProConnect" in response.content.decode()
    assert ProConnectIdentity.objects.get().user == member
    assert journey.client.post(path[:-3] + "xyz/").status_code == 400

    response = journey.sign_in(**AGENT, siret=KNOWN_SIRET)
    assert journey.client.session["_auth_user_id"] == str(member.pk)


# Attacks ---------------------------------------------------------------------------------


def test_tampered_state_is_refused_and_counted(journey):
    journey.start()
    callback = journey.consent(**AGENT, siret=KNOWN_SIRET)
    params = query_of(callback)
    response = journey.client.get("/compte/proconnect/retour/", {**params, "state": params["state"][:-2] + "xx"})
    assert response.status_code == 400 and "pas abouti" in response.content.decode()
    assert journey.provider.token_requests == 0  # refused before the code was spent
    assert AccessAttempt.objects.get().failures_since_start == 1


def test_replayed_code_is_refused(journey):
    member = UserFactory(email=AGENT["email"])
    ProConnectIdentity.objects.create(user=member, sub=subject_for(AGENT["email"]))
    journey.start()
    callback = journey.consent(**AGENT, siret=KNOWN_SIRET)
    assert journey.back(callback).status_code == 302
    journey.client.logout()
    # The same callback again: its state was spent with the session's flow.
    assert journey.back(callback).status_code == 400
    # The old code under a fresh state: the provider refuses a code used once.
    journey.start()
    response = journey.client.get(
        "/compte/proconnect/retour/", {"code": query_of(callback)["code"], "state": journey.authorize["state"]}
    )
    assert response.status_code == 400 and "_auth_user_id" not in journey.client.session


@pytest.mark.parametrize("flaw", ["expired", "wrong_key", "wrong_audience", "wrong_issuer", "wrong_nonce"])
def test_an_id_token_that_does_not_check_out_is_refused(journey, flaw):
    member = UserFactory(email=AGENT["email"])
    ProConnectIdentity.objects.create(user=member, sub=subject_for(AGENT["email"]))
    journey.provider.flaw = flaw
    response = journey.sign_in(**AGENT, siret=KNOWN_SIRET)
    assert response.status_code == 400
    assert "_auth_user_id" not in journey.client.session


def test_code_exchanged_with_the_pkce_verifier_only(journey, provider):
    """The provider refuses a code without the verifier whose challenge it was given."""
    journey.start()
    code = query_of(journey.consent(**AGENT, siret=KNOWN_SIRET))["code"]
    answer = requests.post(
        provider.issuer + "/token",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": journey.authorize["redirect_uri"],
            "client_id": provider.client_id,
            "client_secret": provider.client_secret,
            "code_verifier": "a-guess-" * 6,
        },
        timeout=5,
    )
    assert answer.status_code == 400 and answer.json()["error"] == "invalid_grant"


def test_cancel_at_the_provider_comes_back_to_the_login_page(journey):
    journey.start()
    callback = journey.consent(cancel="1")
    response = journey.back(callback)
    assert response.status_code == 302 and response["Location"] == "/compte/connexion/"


def test_lockout_applies_to_proconnect(journey, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        journey.start()
        journey.client.get("/compte/proconnect/retour/", {"code": "x", "state": "forged"})
    response = journey.client.post("/compte/proconnect/connexion/")
    assert response.status_code == 429
    assert "Connexion temporairement bloquée" in response.content.decode()


def test_hostile_callback_values_are_a_400(journey):
    journey.start()
    assert (
        journey.client.get("/compte/proconnect/retour/", {"code": "x" * 100_00, "state": "y" * 5000}).status_code == 400
    )


# Sign-out --------------------------------------------------------------------------------


def test_sign_out_ends_the_proconnect_session(journey, provider):
    member = UserFactory(email=AGENT["email"])
    ProConnectIdentity.objects.create(user=member, sub=subject_for(AGENT["email"]))
    journey.sign_in(**AGENT, siret=KNOWN_SIRET)
    response = journey.client.post("/compte/deconnexion/")
    assert response.status_code == 302
    assert response["Location"].startswith(provider.issuer + "/session/end?")
    params = query_of(response["Location"])
    assert params["id_token_hint"] and params["state"]
    assert params["post_logout_redirect_uri"].endswith("/compte/proconnect/deconnexion/")
    assert "_auth_user_id" not in journey.client.session

    answer = requests.get(response["Location"], allow_redirects=False, timeout=5)
    assert answer.status_code == 303
    ((claims, state, _),) = provider.ended_sessions
    assert claims["sub"] == subject_for(AGENT["email"]) and state == params["state"]
    back = journey.back(answer.headers["Location"])
    assert back.status_code == 302 and back["Location"] == "/"
    assert "déconnecté du portail et de ProConnect" in journey.client.get("/").content.decode()


def test_password_sign_out_does_not_involve_proconnect(client, provider, member, home_page):
    client.force_login(member)
    response = client.post("/compte/deconnexion/")
    assert response["Location"] == "/"
    assert provider.ended_sessions == []


def test_a_rotated_signing_key_is_fetched_again(journey, provider):
    from joserfc.jwk import RSAKey

    member = UserFactory(email=AGENT["email"])
    ProConnectIdentity.objects.create(user=member, sub=subject_for(AGENT["email"]))
    journey.sign_in(**AGENT, siret=KNOWN_SIRET)  # the keys are now cached
    journey.client.logout()
    provider.key = RSAKey.generate_key(2048, parameters={"kid": "local-2", "use": "sig", "alg": "RS256"})
    response = journey.sign_in(**AGENT, siret=KNOWN_SIRET)
    assert response.status_code == 302 and journey.client.session["_auth_user_id"] == str(member.pk)


def test_provider_unreachable_leaves_the_password_form(client, provider, home_page, settings):
    settings.PROCONNECT_DISCOVERY_URL = "http://127.0.0.1:9/api/v2/.well-known/openid-configuration"
    response = client.post("/compte/proconnect/connexion/", follow=True)
    assert response.redirect_chain == [("/compte/connexion/", 302)]
    assert "ProConnect ne répond pas" in response.content.decode()
