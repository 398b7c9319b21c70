"""A market page: what visitors, members, subscribers and editors see of it."""

import html as html_lib
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from guardian.shortcuts import assign_perm

from markets.access import PIECES_PERMISSION, Audience
from markets.models import CatalogueStamp
from members.models import User
from tests.factories.markets import (
    HolderFactory,
    MarketDocumentFactory,
    MarketPageFactory,
    ThemeFactory,
    holder_entry,
    lot,
    piece,
)
from tests.markets.test_pages import market_form_data


@pytest.fixture
def market(market_index):
    softcorner, preo = HolderFactory(name="SOFTCORNER"), HolderFactory(name="PREO SOFTWARE")
    market = MarketPageFactory(
        parent=market_index,
        title="Logiciels d'occasion",
        subtitle="Accord-cadre multi attributaire à bons de commande",
        holders=[],
        lots=[
            lot(
                None,
                "Licences d'occasion",
                holder_entry(
                    softcorner,
                    window="Commandes du 1er au 15 du mois",
                    name="Habibou M'BAYE",
                    email="hmbaye@softcorner.fr",
                    phone="09 80 80 85 82",
                ),
                holder_entry(
                    preo,
                    window="Commandes du 16 au dernier jour du mois",
                    name="Youssef BOUCHAKOR",
                    email="y.bouchakor@preo-ag.com",
                ),
            )
        ],
        documents=[
            piece(MarketDocumentFactory(title="Fiche marché occasion"), "summary", Audience.PUBLIC),
            piece(MarketDocumentFactory(title="CCAP occasion"), "ccap", Audience.MEMBERS),
            piece(MarketDocumentFactory(title="Offre SOFTCORNER"), "offer", Audience.SUBSCRIBERS, holder=softcorner),
        ],
    )
    market.themes.set([ThemeFactory(name="Logiciel")])
    market.save_revision().publish()
    return market


def member(email="agent@mairie-nyons.fr", **kwargs):
    return User.objects.create_user(email, "un-mot-de-passe-solide", status=User.Status.ACTIVE, **kwargs)


def test_visitor_sees_public_part_only(client, market):
    html = client.get(market.url).content.decode()
    assert "Logiciels d&#x27;occasion" in html
    assert "Accord-cadre multi attributaire" in html
    assert "SOFTCORNER" in html and "PREO SOFTWARE" in html  # holders are public
    assert "Fiche marché occasion" in html
    assert "CCAP occasion" not in html and "Offre SOFTCORNER" not in html
    assert "Commandes du 1er au 15" not in html  # lots are for members
    assert "hmbaye@softcorner.fr" not in html  # contacts are for subscribers
    assert "2 pièces supplémentaires vous seront alors accessibles" in html
    assert "Logiciel" in html


def test_pending_account_sees_what_visitors_see(client, market):
    client.force_login(User.objects.create_user("attente@mairie.fr", "x" * 12))
    html = client.get(market.url).content.decode()
    assert "CCAP occasion" not in html and "Commandes du 1er au 15" not in html


def test_member_sees_lots_and_member_pieces_but_no_contacts(client, market):
    client.force_login(member())
    html = client.get(market.url).content.decode()
    assert "CCAP occasion" in html
    assert "Commandes du 1er au 15 du mois" in html and "Commandes du 16 au dernier jour du mois" in html
    assert "hmbaye@softcorner.fr" not in html
    assert "Offre SOFTCORNER" not in html


def test_subscriber_sees_contacts_and_every_piece(client, market):
    user = member()
    assign_perm(PIECES_PERMISSION, user, market)
    client.force_login(user)
    html = client.get(market.url).content.decode()
    assert "Habibou M&#x27;BAYE" in html and "hmbaye@softcorner.fr" in html and "09 80 80 85 82" in html
    assert "Offre SOFTCORNER" in html
    assert "pièces supplémentaires" not in html


def test_permission_on_another_market_gives_nothing(client, market, market_index):
    user = member()
    assign_perm(PIECES_PERMISSION, user, MarketPageFactory(parent=market_index))
    client.force_login(user)
    assert "Offre SOFTCORNER" not in client.get(market.url).content.decode()


def test_market_page_query_count_is_constant(client, market, market_index):
    def queries():
        client.get(market.url)
        with CaptureQueriesContext(connection) as captured:
            client.get(market.url)
        return len(captured.captured_queries)

    before = queries()
    for _ in range(20):
        MarketPageFactory(parent=market_index, documents=[piece(MarketDocumentFactory(), "bpu", Audience.PUBLIC)])
    # The page by id (its route cached: core.routing), the privacy restrictions and the
    # catalogue's stamp (the body's key).
    assert queries() == before == 3
    CatalogueStamp.renew()  # as after a publication: the body is drawn again
    with CaptureQueriesContext(connection) as captured:
        client.get(market.url)
    # Then also its pieces, the holders of its blocks, its holders, its themes and its
    # visible price sources (none: no count).
    assert len(captured.captured_queries) == 8


def pieces_outline(html):
    """The headings and piece titles of "Pièces du marché", in page order ("# " marks a heading)."""
    section = html_lib.unescape(html).split('id="pieces-title"', 1)[1].split("</section>", 1)[0]
    return [
        f"# {heading}" if heading else title
        for heading, title in re.findall(r"<h3>(.*?)</h3>|<a href=\"[^\"]*\">(.*?)</a>", section)
    ]


def test_pieces_are_grouped_general_first_then_per_lot_and_holder(client, market_index):
    softcorner, preo, former = (HolderFactory(name=name) for name in ("SOFTCORNER", "PREO SOFTWARE", "ANCIEN"))
    market = MarketPageFactory(
        parent=market_index,
        holders=[],
        lots=[
            lot(1, "Licences", holder_entry(softcorner), holder_entry(preo)),
            lot(2, "Support", holder_entry(softcorner)),
        ],
        # In the editors' order, holders' pieces mixed with the general ones.
        documents=[
            piece(MarketDocumentFactory(title="Offre PREO"), "offer", Audience.PUBLIC, holder=preo),
            piece(MarketDocumentFactory(title="Fiche marché"), "summary", Audience.PUBLIC),
            piece(MarketDocumentFactory(title="Offre SOFTCORNER"), "offer", Audience.PUBLIC, holder=softcorner),
            piece(MarketDocumentFactory(title="Candidature ANCIEN"), "application", Audience.PUBLIC, holder=former),
            piece(
                MarketDocumentFactory(title="Catalogue SOFTCORNER"),
                "catalogue",
                Audience.SUBSCRIBERS,
                holder=softcorner,
            ),
            piece(MarketDocumentFactory(title="CCAP"), "ccap", Audience.PUBLIC),
        ],
    )

    assert pieces_outline(client.get(market.url).content.decode()) == [
        "# Documents du marché",
        "Fiche marché",
        "CCAP",
        "# Lot n°1 — Licences, Lot n°2 — Support : SOFTCORNER",
        "Offre SOFTCORNER",
        "# Lot n°1 — Licences : PREO SOFTWARE",
        "Offre PREO",
        "# ANCIEN",  # a holder the lots no longer name: last, under its name
        "Candidature ANCIEN",
    ]

    user = member()
    assign_perm(PIECES_PERMISSION, user, market)
    client.force_login(user)
    assert pieces_outline(client.get(market.url).content.decode())[3:6] == [
        "# Lot n°1 — Licences, Lot n°2 — Support : SOFTCORNER",
        "Offre SOFTCORNER",
        "Catalogue SOFTCORNER",
    ]


def test_an_unallotted_market_heads_a_holders_pieces_with_its_name(client, market_index):
    holder = HolderFactory(name="SOFTCORNER")
    market = MarketPageFactory(
        parent=market_index,
        holders=[("holder", holder_entry(holder))],
        documents=[piece(MarketDocumentFactory(title="Offre"), "offer", Audience.PUBLIC, holder=holder)],
    )
    assert pieces_outline(client.get(market.url).content.decode()) == ["# SOFTCORNER", "Offre"]


def test_the_cached_body_follows_the_market_and_keeps_each_reader_s_own(client, market):
    assert "SOFTCORNER" in client.get(market.url).content.decode()  # drawn and cached for visitors
    softcorner = market.holder_links.get(holder__name="SOFTCORNER").holder
    softcorner.name = "SOFTCORNER SAS"
    softcorner.save()
    assert "SOFTCORNER SAS" in client.get(market.url).content.decode()
    market.title = "Logiciels de seconde main"
    market.save_revision().publish()
    assert "<h1>Logiciels de seconde main</h1>" in client.get(market.url).content.decode()

    subscriber, other = member(), member("agent@mairie-dieulefit.fr")
    assign_perm(PIECES_PERMISSION, subscriber, market)
    client.force_login(subscriber)
    assert "Offre SOFTCORNER" in client.get(market.url).content.decode()
    client.force_login(other)
    html = client.get(market.url).content.decode()
    assert "Offre SOFTCORNER" not in html and "CCAP occasion" in html
    client.logout()
    html = client.get(market.url).content.decode()
    assert "CCAP occasion" not in html and "connexion requise" in html


def test_an_editor_s_preview_never_comes_from_or_goes_to_the_live_body(client, market):
    editor = User.objects.create_superuser("editeur@canut.org", "un-mot-de-passe-solide")
    client.force_login(editor)
    client.get(market.url)  # the editor's body, cached
    data = market_form_data(market.holder_links.first().holder) | {"title": "Brouillon en relecture"}
    preview = f"/admin/pages/{market.pk}/edit/preview/"
    assert client.post(preview, data).json()["is_valid"]
    assert "<h1>Brouillon en relecture</h1>" in client.get(preview).content.decode()
    html = client.get(market.url).content.decode()
    assert "Brouillon" not in html and "<h1>Logiciels d&#x27;occasion</h1>" in html
