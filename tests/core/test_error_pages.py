"""Error pages: French, in the site's layout, saying what happened and what to do next.

Django renders them only with DEBUG off, which is how tests run (asserted below).
"""

from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile
from django.test import Client, RequestFactory
from django.views.defaults import bad_request, server_error
from guardian.shortcuts import assign_perm

from core.errors import permission_denied
from markets.access import PIECES_PERMISSION, Audience
from members.models import User
from tests.factories.markets import MarketDocumentFactory, MarketPageFactory, piece

HELP_LINK = "Besoin d'aide ?"


def test_tests_run_with_debug_off(settings):
    assert settings.DEBUG is False


def test_404_tells_a_visitor_to_log_in(client, home_page):
    # A member's page sends a visitor to the login, coming back afterwards...
    response = client.get("/compte/souscriptions/123/")
    assert response.status_code == 302 and response.url == "/compte/connexion/?next=/compte/souscriptions/123/"
    # ...and a page that does not exist offers the same.
    response = client.get("/n-existe-pas/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "Page introuvable" in body and 'class="site-header"' in body
    assert "/compte/connexion/?next=/n-existe-pas/" in body
    assert HELP_LINK in body


def test_404_sends_a_member_to_the_dashboard(member_client, establishment, home_page):
    response = member_client.get("/compte/souscriptions/999999/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "Page introuvable" in body and "/compte/tableau-de-bord/" in body
    assert "/compte/connexion/" not in body


def subscriber_piece(market_index):
    doc = MarketDocumentFactory(title="Avenant 1")
    doc.file.save("avenant.pdf", ContentFile(b"%PDF-1.4 avenant"))
    market = MarketPageFactory(
        parent=market_index, title="Téléphonie", documents=[piece(doc, "other", Audience.SUBSCRIBERS)]
    )
    return market, doc


def test_member_refused_a_piece_is_offered_to_subscribe_to_that_market(member_client, establishment, market_index):
    market, doc = subscriber_piece(market_index)
    response = member_client.get(doc.url)
    body = response.content.decode()
    assert response.status_code == 403
    assert "Accès refusé" in body and "« Téléphonie »" in body
    assert f'href="/compte/marches/{market.pk}/souscrire/">Préparer sa souscription</a>' in body
    assert HELP_LINK in body and 'class="site-header"' in body


def test_pending_account_refused_a_piece_is_sent_to_the_login(client, market_index):
    # A pending account has no session (members.backends): it is a visitor, shown the login.
    _, doc = subscriber_piece(market_index)
    client.force_login(User.objects.create_user("attente@mairie.fr", "un-mot-de-passe-solide"))
    response = client.get(doc.url)
    assert response.status_code == 302 and response.url.startswith("/compte/connexion/?next=")


def test_subscriber_is_not_refused(member_client, member, establishment, market_index):
    market, doc = subscriber_piece(market_index)
    assign_perm(PIECES_PERMISSION, member, market)
    response = member_client.get(doc.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 avenant"


def test_403_shows_a_visitor_the_login(home_page):
    request = RequestFactory().get("/compte/quelque-chose/")
    request.user = AnonymousUser()
    body = permission_denied(request, PermissionError()).content.decode()
    assert "Accès refusé" in body and "/compte/connexion/?next=/compte/quelque-chose/" in body
    assert HELP_LINK in body


def test_inactive_member_page_leads_somewhere(client, market_index):
    # A staff account that is not a validated member may log in but not subscribe.
    market = MarketPageFactory(parent=market_index)
    client.force_login(User.objects.create_user("redacteur@canut.org", "un-mot-de-passe-solide", is_staff=True))
    response = client.get(f"/compte/marches/{market.pk}/souscrire/")
    body = response.content.decode()
    assert response.status_code == 403
    assert "/compte/mon-compte/" in body and HELP_LINK in body


def test_500_renders_without_the_database(db, django_assert_num_queries):
    request = RequestFactory().get("/")
    with django_assert_num_queries(0):
        response = server_error(request)
    body = response.content.decode()
    assert response.status_code == 500
    assert "Une erreur est survenue" in body and "réessayez" in body and HELP_LINK in body
    assert 'lang="fr"' in body and 'class="site-header"' in body


def test_a_real_server_error_shows_the_500_page(staff, home_page):
    client = Client(raise_request_exception=False)
    client.force_login(staff)
    response = client.get("/admin/failwhale/")  # Wagtail's deliberate error
    body = response.content.decode()
    assert response.status_code == 500
    assert "Une erreur est survenue" in body and HELP_LINK in body
    assert "Traceback" not in body and "failwhale" not in body  # nothing of the error shown


def test_400_on_a_foreign_host(client, home_page):
    response = client.get("/", HTTP_HOST="attaquant.example")
    assert response.status_code == 400
    assert "Cette adresse n'est pas valide" in response.content.decode()
    with_request = bad_request(RequestFactory().get("/"), Exception()).content.decode()
    assert HELP_LINK in with_request


def test_expired_form_explains_itself(home_page):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/compte/connexion/", {"username": "a@b.fr", "password": "x"})
    assert response.status_code == 403
    assert "Le formulaire a expiré" in response.content.decode()


def test_a_refusal_message_is_shown_with_the_usual_next_step(member, home_page):
    from django.core.exceptions import PermissionDenied

    request = RequestFactory().get("/compte/marches/1/souscrire/")
    request.user = member
    body = permission_denied(request, PermissionDenied("Ce marché n'est pas publié.")).content.decode()
    assert "Ce marché n&#x27;est pas publié." in body and "/compte/tableau-de-bord/" in body
