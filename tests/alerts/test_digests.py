"""Digests of saved searches, through the real task worker and a real SMTP server."""

import datetime
import threading

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from alerts.digests import digest_run
from alerts.models import Delivery, Frequency, SavedSearch
from alerts.tasks import digest_send
from markets.access import Audience
from markets.models import MarketPage
from subscriptions.permissions import market_grant
from tests.factories.markets import HolderFactory, MarketPageFactory, holder_entry, lot, piece
from tests.prices.conftest import ROWS, document_with, import_rows, xlsx

from .conftest import body, header, messages, publish, run_worker, subject

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def save_search(client, criteria, name, source="marches", frequency=Frequency.DAILY):
    response = client.post(
        reverse("alerts:create"),
        {"name": name, "frequency": frequency, "source": source, "criteria": criteria, "retour": "/"},
    )
    assert response.status_code == 302
    return SavedSearch.objects.get(name=name)


def new_market(market_index, title, **kwargs):
    return publish(MarketPageFactory(parent=market_index, title=title, live=False, **kwargs))


def test_a_saved_search_finds_a_market_published_after_it_and_not_one_before(smtp, market_index, member_client):
    new_market(market_index, "Licences bureautiques 2024", slug="avant")
    save_search(member_client, "q=licences&statut=en-cours&page=3", "Mes licences")
    new_market(market_index, "Licences de sécurité", slug="apres")
    new_market(market_index, "Imprimantes", slug="autre", summary="Matériel d'impression.")
    draft = MarketPageFactory(parent=market_index, title="Licences en brouillon", slug="brouillon", live=False)
    draft.save_revision()

    digest_send.enqueue(frequency=Frequency.DAILY)
    digest_send.enqueue(frequency=Frequency.DAILY)  # run twice the same day
    run_worker()
    [(rcpt, message)] = messages(smtp)
    assert rcpt == ["agent@nyons.fr"]
    assert subject(message) == "CANUT : 1 nouveauté dans vos recherches enregistrées"
    text = body(message)
    assert "Nouveau marché : Licences de sécurité" in text
    assert "https://portail.canut.test/marches/apres/" in text
    assert "2024" not in text and "Imprimantes" not in text and "brouillon" not in text
    assert "Mes licences (Tous les marchés : « licences »)" in text
    assert header(message, "List-Unsubscribe").startswith("<https://portail.canut.test/alertes/arreter/")
    assert Delivery.objects.get(kind="digest-quotidien").emails == 1

    search = SavedSearch.objects.get()
    assert [item["title"] for item in search.last_found] == ["Licences de sécurité"]
    page = member_client.get(reverse("alerts:list"))
    assert "Licences de sécurité" in page.text and "Mes licences" in page.text

    # The next day: nothing new, no email; a lot added to a matching market is told.
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    digest_send.enqueue(frequency=Frequency.DAILY, day=tomorrow)
    run_worker()
    assert len(smtp.messages) == 1
    market = MarketPage.objects.get(slug="apres")
    scc = HolderFactory(name="SCC")
    market.lots = [lot(2, "Support", holder_entry(scc))]
    publish(market)
    after = (timezone.localdate() + datetime.timedelta(days=2)).isoformat()
    digest_send.enqueue(frequency=Frequency.DAILY, day=after)
    run_worker()
    text = body(messages(smtp)[1][1])
    assert "Titulaire ajouté : Licences de sécurité\n  SCC" in text
    assert "Lot ajouté : Licences de sécurité\n  Lot n°2 — Support" in text


def test_a_restricted_price_line_never_reaches_a_member_without_the_subscription(
    smtp, market_index, member, outsider, client, establishment
):
    holder = HolderFactory(name="SCC")
    documents = {
        audience: document_with(xlsx(ROWS), f"Catalogue {audience}", f"catalogue-{audience}.xlsx")
        for audience in (Audience.PUBLIC, Audience.SUBSCRIBERS)
    }
    market = MarketPageFactory(
        parent=market_index,
        title="Multi-éditeurs",
        slug="multi-editeurs",
        holders=[("holder", holder_entry(holder))],
        documents=[piece(doc, "catalogue", audience) for audience, doc in documents.items()],
    )
    market_grant(market=market, establishment=establishment)  # `member` subscribes, `outsider` does not
    for user in (member, outsider):
        client.force_login(user)
        save_search(client, "q=produit", f"Produits de {user.email}", source="prix")
    import_rows(market, documents[Audience.PUBLIC], [*ROWS, ["Editeur", "Produit ouvert", "Divers", "5 %", "100"]])
    import_rows(
        market, documents[Audience.SUBSCRIBERS], [*ROWS, ["Editeur", "Produit zebrasecret", "Divers", "5 %", "100"]]
    )

    digest_send.enqueue(frequency=Frequency.DAILY)
    run_worker()
    texts = {rcpt[0]: body(message) for rcpt, message in messages(smtp)}
    assert "Produit ouvert" in texts["agent@visan.fr"] and "zebrasecret" not in texts["agent@visan.fr"]
    assert "Produit ouvert" in texts["agent@nyons.fr"] and "Produit zebrasecret" in texts["agent@nyons.fr"]

    # A price that moves beyond the threshold is told with its old and new price.
    smtp.messages.clear()
    import_rows(market, documents[Audience.PUBLIC], [*ROWS, ["Editeur", "Produit ouvert", "Divers", "5 %", "150"]])
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    digest_send.enqueue(frequency=Frequency.DAILY, day=tomorrow)
    run_worker()
    text = body(messages(smtp)[0][1])
    assert "Prix modifié : Produit ouvert" in text and "→" in text


def test_two_workers_at_once_send_each_digest_once(smtp, market_index, member_client):
    save_search(member_client, "", "Tout")
    new_market(market_index, "Téléphonie mobile", slug="mobile")
    barrier, results = threading.Barrier(2), []

    def worker():
        try:
            barrier.wait()
            results.append(digest_run(frequency=Frequency.DAILY))
        except Exception as error:  # noqa: BLE001  (SQLite may refuse the second writer: it sends nothing either)
            results.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(r for r in results if isinstance(r, int)) in ([0, 1], [1])
    run_worker()
    assert len(smtp.messages) == 1
    assert Delivery.objects.filter(kind="digest-quotidien").count() == 1
