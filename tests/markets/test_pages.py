"""Editors' side of markets: where pages live, validation messages, derived relations."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from wagtail.models import Page, Site
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from home.models import HomePage, StandardPage
from markets.access import Audience
from markets.models import MarketHolder, MarketIndexPage, MarketPage, MarketPiece
from members.models import User
from tests.factories.markets import (
    HolderFactory,
    MarketDocumentFactory,
    MarketIndexPageFactory,
    MarketPageFactory,
    holder_entry,
    lot,
    piece,
)


def list_block(items):
    """Admin form data of a ListBlock (wagtail.test.utils has streamfield() for StreamBlocks)."""
    data = {str(i): {"value": item, "deleted": "", "order": str(i), "id": ""} for i, item in enumerate(items)}
    return data | {"count": str(len(items))}


def market_form_data(holder):
    """What the admin's market form posts, with one lot held by `holder`."""
    return nested_form_data(
        {
            "title": "Multi-éditeurs",
            "slug": "multi-editeurs",
            "subtitle": "Accord-cadre à bons de commande",
            "summary": "350 logiciels de nombreux éditeurs.",
            "body": rich_text(""),
            "notified_on": "2024-02-27",
            "ends_on": "2028-02-26",
            "portal_url": "https://services.fr.scc.com/CANUTME/",
            "lots": streamfield(
                [
                    (
                        "lot",
                        {
                            "number": "1",
                            "title": "Lot unique",
                            "ends_on": "",
                            "holders": list_block(
                                [
                                    {
                                        "holder": holder.pk,
                                        "ordering_window": "",
                                        "contact_name": "Jeanne Martin",
                                        "contact_email": "jeanne.martin@scc.com",
                                        "contact_phone": "01 73 04 37 59",
                                    }
                                ]
                            ),
                        },
                    )
                ]
            ),
            "holders": streamfield([]),
            "documents": streamfield([]),
            "comments": inline_formset([]),
        }
    )


class MarketTreeTests(WagtailPageTestCase):
    def test_market_pages_live_under_the_catalogue_only(self):
        self.assertAllowedParentPageTypes(MarketPage, {MarketIndexPage})
        self.assertAllowedSubpageTypes(MarketPage, {})
        self.assertAllowedParentPageTypes(MarketIndexPage, {HomePage})
        self.assertCanNotCreateAt(HomePage, MarketPage)
        self.assertCanNotCreateAt(StandardPage, MarketPage)

    def test_editor_creates_a_market_in_the_admin(self):
        home = Page.get_first_root_node().add_child(
            instance=HomePage(title="Accueil", slug="accueil-admin", hero_title="CANUT")
        )
        index = MarketIndexPageFactory(parent=home)
        holder = HolderFactory(name="SCC")
        self.client.force_login(User.objects.create_superuser("editeur@canut.org", "un-mot-de-passe-solide"))
        self.assertCanCreate(
            index,
            MarketPage,
            market_form_data(holder),
        )
        market = MarketPage.objects.get(slug="multi-editeurs")
        assert market.holder_ids() == [holder.pk]


def test_end_date_must_follow_notification(market_index):
    market = MarketPageFactory.build(notified_on=datetime.date(2024, 4, 16), ends_on=datetime.date(2024, 4, 16))
    with pytest.raises(ValidationError) as error:
        market.full_clean()
    assert error.value.message_dict["ends_on"] == ["La date de fin doit être postérieure à la date de notification."]


def test_a_market_needs_a_holder(market_index):
    market = MarketPageFactory.build(holders=[], lots=[])
    with pytest.raises(ValidationError) as error:
        market.full_clean()
    assert "Indiquez au moins un titulaire" in error.value.message_dict["holders"][0]


def test_lot_numbers_are_unique_in_a_market(db):
    holder = HolderFactory()
    block = MarketPage._meta.get_field("lots").stream_block
    value = block.to_python(
        [
            {
                "type": "lot",
                "value": {"number": 1, "title": "A", "holders": [holder_entry(holder) | {"holder": holder.pk}]},
            },
            {
                "type": "lot",
                "value": {"number": 1, "title": "B", "holders": [holder_entry(holder) | {"holder": holder.pk}]},
            },
        ]
    )
    with pytest.raises(ValidationError) as error:
        block.clean(value)
    assert "Le lot n°1 figure déjà dans ce marché." in str(error.value.as_json_data())


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("contact_email", "pas-un-email", "Saisissez une adresse de courriel valide."),
        ("contact_phone", "12345", "Saisissez un numéro de téléphone français"),
    ],
)
def test_contact_email_and_phone_are_checked(db, field, value, message):
    holder = HolderFactory()
    block = MarketPage._meta.get_field("holders").stream_block
    entry = holder_entry(holder) | {"holder": holder.pk, field: value}
    with pytest.raises(ValidationError) as error:
        block.clean(block.to_python([{"type": "holder", "value": entry}]))
    assert message in str(error.value.as_json_data())


def test_valid_phone_formats(db):
    holder = HolderFactory()
    block = MarketPage._meta.get_field("holders").stream_block
    for phone in ("01 73 04 37 59", "0173043759", "+33 1 73 04 37 59", "09.80.80.85.82"):
        entry = holder_entry(holder) | {"holder": holder.pk, "contact_phone": phone}
        cleaned = block.clean(block.to_python([{"type": "holder", "value": entry}]))
        assert cleaned[0].value["contact_phone"] == phone  # accepted, and kept as the editor typed it


def test_publishing_writes_the_derived_relations(market_index):
    scc, esi = HolderFactory(name="SCC"), HolderFactory(name="E.S.I.")
    doc = MarketDocumentFactory()
    market = MarketPageFactory(
        parent=market_index,
        holders=[("holder", holder_entry(scc))],
        lots=[lot(1, "Postes", holder_entry(esi)), lot(2, "Écrans", holder_entry(esi))],
        documents=[piece(doc, "bpu", Audience.MEMBERS)],
    )
    assert list(MarketHolder.objects.filter(market=market).values_list("holder__name", flat=True)) == ["E.S.I.", "SCC"]
    assert list(MarketPiece.objects.filter(market=market).values_list("kind", "audience")) == [("bpu", "members")]


def test_a_draft_does_not_change_the_live_relations(market_index):
    scc, esi = HolderFactory(name="SCC"), HolderFactory(name="E.S.I.")
    market = MarketPageFactory(parent=market_index, holders=[("holder", holder_entry(scc))])
    market.save_revision().publish()

    draft = MarketPage.objects.get(pk=market.pk)
    draft.holders = [("holder", holder_entry(esi))]
    draft.save_revision()
    assert list(market.holder_links.values_list("holder__name", flat=True)) == ["SCC"]

    MarketPage.objects.get(pk=market.pk).get_latest_revision().publish()
    assert list(market.holder_links.values_list("holder__name", flat=True)) == ["E.S.I."]


class MarketRenderTests(WagtailPageTestCase):
    def test_pages_render_and_preview(self):
        home = Page.get_first_root_node().add_child(
            instance=HomePage(title="Accueil", slug="accueil-rendu", hero_title="CANUT")
        )
        Site.objects.update_or_create(is_default_site=True, defaults={"root_page": home, "hostname": "localhost"})
        index = MarketIndexPageFactory(parent=home)
        holder = HolderFactory()
        market = MarketPageFactory(parent=index, lots=[lot(1, "Postes", holder_entry(holder))])
        self.client.force_login(User.objects.create_superuser("editeur@canut.org", "un-mot-de-passe-solide"))
        for page in (home, index, market):
            self.assertPageIsRenderable(page)
        self.assertPageIsPreviewable(index)
        self.assertPageIsPreviewable(market, post_data=market_form_data(holder))


def test_staff_find_a_holder_in_the_admin_by_name_or_siren(staff_client):
    HolderFactory(name="SCC", siren="318200617")
    HolderFactory(name="E.S.I.")
    for query in ("SCC", "318200617"):
        response = staff_client.get("/admin/snippets/markets/holder/", {"q": query})
        assert response.status_code == 200, query
        assert [holder.name for holder in response.context["object_list"]] == ["SCC"], query
