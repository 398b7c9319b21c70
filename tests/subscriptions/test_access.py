"""Restricted pieces: not a byte without the permission, whatever URL is tried."""

import pytest
from django.test import Client
from django.urls import reverse

from markets.models import MarketDocument
from subscriptions import permissions, services
from tests.factories.markets import MarketDocumentFactory
from tests.factories.members import UserFactory

pytestmark = pytest.mark.django_db


def body(response):
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def assert_refused(client, document, *, url=None):
    response = client.get(url or document.url)
    assert response.status_code in (302, 403, 404), (url or document.url, response.status_code)
    if response.status_code == 302:
        assert response.url.startswith(reverse("members:login"))
    content = body(response)
    with document.file.open("rb") as handle:
        assert handle.read() not in content


def assert_served(client, document):
    response = client.get(document.url)
    assert response.status_code == 200, document.url
    with document.file.open("rb") as handle:
        assert body(response) == handle.read()


def subscribe(member, market, establishment):
    return services.subscription_request(user=member, market=market, establishment=establishment).subscription


def test_anonymous_gets_no_restricted_piece(client, market, restricted, pieces):
    for document in restricted + [pieces["bpu"]]:
        assert_refused(client, document)
    assert_served(client, pieces["summary"])


def test_member_without_subscription_gets_members_pieces_only(member_client, market, establishment, restricted, pieces):
    for document in restricted:
        assert_refused(member_client, document)
    assert_served(member_client, pieces["bpu"])


def test_every_user_of_the_subscribing_establishment_gets_every_piece(
    member, colleague, market, establishment, restricted
):
    subscribe(member, market, establishment)
    for user in (member, colleague):
        client = Client()
        client.force_login(user)
        for document in restricted:
            assert_served(client, document)


def test_other_establishment_gets_nothing(member, outsider, market, establishment, restricted):
    subscribe(member, market, establishment)
    client = Client()
    client.force_login(outsider)
    for document in restricted:
        assert_refused(client, document)


def test_pending_account_of_the_establishment_gets_nothing(member, market, establishment, restricted):
    subscribe(member, market, establishment)
    pending = UserFactory(status="pending")
    establishment.users.add(pending)
    permissions.user_sync_market_permissions(user=pending)
    client = Client()
    client.force_login(pending)
    for document in restricted:
        assert_refused(client, document)


def test_cancellation_closes_every_piece_and_old_links(
    member, member_client, colleague, market, establishment, restricted
):
    subscription = subscribe(member, market, establishment)
    old_links = [document.url for document in restricted]
    for document in restricted:
        assert_served(member_client, document)
    services.subscription_cancel(subscription=subscription, reason="Annulation")
    for user in (member, colleague):
        client = Client()
        client.force_login(user)
        for document, url in zip(restricted, old_links, strict=True):
            assert_refused(client, document, url=url)


def test_guessing_document_ids_and_file_names(outsider, member, market, establishment, restricted):
    subscribe(member, market, establishment)
    stray = MarketDocumentFactory(title="Brouillon interne")  # listed by no market: editors only
    client = Client()
    client.force_login(outsider)
    for document in [*restricted, stray]:
        assert_refused(client, document)
        assert_refused(client, document, url=f"/documents/{document.pk}/{document.filename}")
        assert_refused(client, document, url=f"/documents/{document.pk}/autre-nom.pdf")
        assert_refused(client, document, url=f"/documents/{document.pk}/")
        # The storage has no public URL: the file names under media/ or private/ lead nowhere.
        assert_refused(client, document, url=f"/media/{document.file.name}")
        assert_refused(client, document, url=f"/private/{document.file.name}")
    last = MarketDocument.objects.order_by("-pk").first().pk
    for pk in range(1, last + 3):
        response = client.get(f"/documents/{pk}/x.pdf")
        assert response.status_code in (403, 404)


def test_generated_conventions_are_never_public(member, outsider, market, establishment):
    subscription = subscribe(member, market, establishment)
    client = Client()
    client.force_login(outsider)
    response = client.get(f"/media/{subscription.convention.name}")
    assert response.status_code == 404
    response = client.get(f"/private/{subscription.convention.name}")
    assert response.status_code == 404


def test_market_page_shows_gerer_mon_marche_only_with_access(member, member_client, outsider, market, establishment):
    manage = f'href="{reverse("subscriptions:market_manage", args=[market.pk])}"'
    assert manage not in member_client.get(market.url).content.decode()
    subscribe(member, market, establishment)
    assert manage in member_client.get(market.url).content.decode()
    client = Client()
    client.force_login(outsider)
    assert manage not in client.get(market.url).content.decode()
