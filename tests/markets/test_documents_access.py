"""No restricted piece is reachable without the right, whatever the URL tried."""

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from guardian.shortcuts import assign_perm, remove_perm

from markets.access import PIECES_PERMISSION, Audience
from members.models import User
from tests.downloads import assert_private_download
from tests.factories.markets import MarketDocumentFactory, MarketPageFactory, piece

CONTENT = b"%PDF-1.4 contenu confidentiel"


@pytest.fixture
def documents(market_index):
    docs = {audience: MarketDocumentFactory(title=f"Pièce {audience}") for audience in Audience.values}
    for doc in docs.values():
        doc.file.save(f"{doc.title}.pdf", ContentFile(CONTENT))
    market = MarketPageFactory(
        parent=market_index, documents=[piece(doc, "other", audience) for audience, doc in docs.items()]
    )
    return market, docs


def download(client, document):
    response = client.get(document.url)
    body = b"".join(response.streaming_content) if getattr(response, "streaming", False) else response.content
    return response, body


def active_member():
    return User.objects.create_user("dsi@cd54.fr", "un-mot-de-passe-solide", status=User.Status.ACTIVE)


def test_public_piece_downloads_for_anyone(client, documents):
    _, docs = documents
    response = client.get(docs[Audience.PUBLIC].url)
    # Wagtail's view with the headers of every private download (a PDF opens in the browser).
    assert assert_private_download(response, docs[Audience.PUBLIC].filename, inline=True) == CONTENT


@pytest.mark.parametrize("audience", [Audience.MEMBERS, Audience.SUBSCRIBERS])
def test_anonymous_is_sent_to_login_without_a_byte(client, documents, audience):
    _, docs = documents
    response, body = download(client, docs[audience])
    assert response.status_code == 302
    assert response["Location"].startswith("/compte/connexion/")
    assert CONTENT not in body


def test_member_reads_member_pieces_not_subscriber_pieces(client, documents):
    _, docs = documents
    client.force_login(active_member())
    assert download(client, docs[Audience.MEMBERS])[1] == CONTENT
    response, body = download(client, docs[Audience.SUBSCRIBERS])
    assert response.status_code == 403
    assert CONTENT not in body


def test_subscriber_reads_everything_until_the_permission_goes(client, documents):
    market, docs = documents
    user = active_member()
    assign_perm(PIECES_PERMISSION, user, market)
    client.force_login(user)
    assert download(client, docs[Audience.SUBSCRIBERS])[1] == CONTENT
    remove_perm(PIECES_PERMISSION, user, market)
    assert download(client, docs[Audience.SUBSCRIBERS])[0].status_code == 403


def test_pending_account_is_not_a_member(client, documents):
    _, docs = documents
    client.force_login(User.objects.create_user("attente@mairie.fr", "un-mot-de-passe-solide"))
    response, _ = download(client, docs[Audience.MEMBERS])
    # Its session does not even authenticate (members.backends): a visitor, sent to log in.
    assert not response.wsgi_request.user.is_authenticated and response.status_code in (302, 403)


def test_unpublished_market_closes_its_public_pieces(client, documents):
    market, docs = documents
    market.unpublish()
    assert download(client, docs[Audience.PUBLIC])[0].status_code == 302


def test_document_of_no_market_is_for_editors_only(client, db):
    orphan = MarketDocumentFactory()
    assert download(client, orphan)[0].status_code == 302
    client.force_login(User.objects.create_superuser("editeur@canut.org", "un-mot-de-passe-solide"))
    assert download(client, orphan)[0].status_code == 200


def test_guessing_ids_or_filenames_gives_nothing(client, documents):
    _, docs = documents
    secret = docs[Audience.SUBSCRIBERS]
    client.force_login(active_member())
    assert client.get(f"/documents/{secret.pk}/autre-nom.pdf").status_code == 404
    assert client.get(f"/documents/{secret.pk + 1000}/{secret.filename}").status_code == 404
    assert client.get(f"/documents/{secret.pk}/{secret.filename}").status_code == 403


def test_files_have_no_public_url(documents):
    _, docs = documents
    secret = docs[Audience.SUBSCRIBERS]
    with pytest.raises(NotImplementedError):
        _ = secret.file.url
    path = secret.file.path
    assert path.startswith(str(settings.PRIVATE_MEDIA_ROOT))
    assert not path.startswith(str(settings.MEDIA_ROOT))


def test_media_url_serves_no_document(client, documents):
    _, docs = documents
    name = docs[Audience.SUBSCRIBERS].file.name
    assert client.get(f"{settings.MEDIA_URL}{name}").status_code == 404
