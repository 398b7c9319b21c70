"""Allotted agreements: the DECP files publish each lot as a contract of its own."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from markets.models import MarketPage
from opendata.models import LotEssentialData
from opendata.services import essential_data_ensure

from .conftest import allotted_market, complete_data, complete_lots, validate_json, validate_xml

pytestmark = pytest.mark.django_db


def decp(client, fmt="json"):
    response = client.get(reverse(f"opendata:decp_{fmt}"))
    assert response.status_code == 200
    return response.content


def allotted_complete(make_market, *titles, lots=None, **fields):
    market = allotted_market(make_market, *titles, **fields)
    data = complete_data(market)
    essential_data_ensure(market=market)
    complete_lots(data, lots)
    return market, data


def test_an_allotted_market_gives_one_valid_record_per_lot(client, buyer, make_market):
    market, data = allotted_complete(
        make_market,
        "Licences réservées aux membres",
        "Formation des agents",
        title="Logiciels et services",
        lots={2: {"cpv_code": "80533100", "amount": Decimal("90000.50"), "offers_received": 2, "duration_months": 24}},
    )
    single = make_market()
    complete_data(single)

    body = decp(client)
    records = validate_json(body)["marches"]["marche"]
    xml = validate_xml(decp(client, "xml"))

    by_id = {record["id"]: record for record in records}
    assert set(by_id) == {f"{data.identifier}-1", f"{data.identifier}-2", f"AC{single.pk:06d}"}
    first, second = by_id[f"{data.identifier}-1"], by_id[f"{data.identifier}-2"]
    holders = [block.value["holders"][0]["holder"] for block in market.lots]
    assert first["titulaires"] == [{"titulaire": {"typeIdentifiant": "SIRET", "id": holders[0].decp.siret}}]
    assert second["titulaires"] == [{"titulaire": {"typeIdentifiant": "SIRET", "id": holders[1].decp.siret}}]
    # Its own amount and identifier; CPV, offers and duration its own or the market's.
    assert (first["montant"], first["codeCPV"], first["offresRecues"], first["dureeMois"]) == (
        250000, "72000000", 3, 48,
    )  # fmt: skip
    assert (second["montant"], second["codeCPV"], second["offresRecues"], second["dureeMois"]) == (
        90000.5, "80533100", 2, 24,
    )  # fmt: skip
    # The rest is the market's.
    assert first["procedure"] == second["procedure"] == "Appel d'offres ouvert"
    assert first["dateNotification"] == second["dateNotification"] == "2024-03-01"
    # A lot's title is shown to members only on the site: the file says « Lot n°… » unless
    # an editor writes the object to publish.
    assert first["objet"] == "Logiciels et services — Lot n°1"
    assert "réservées aux membres".encode() not in body
    assert {m.findtext("id") for m in xml.findall("marche")} == set(by_id)


def test_an_object_written_for_the_lot_is_published(client, buyer, make_market):
    _, data = allotted_complete(make_market, "Licences", lots={1: {"subject": "Licences de bureautique"}})
    records = validate_json(decp(client))["marches"]["marche"]
    assert [r["objet"] for r in records] == ["Licences de bureautique"]


def test_an_allotted_market_waits_until_every_lot_is_complete(client, buyer, make_market, staff_client):
    market = allotted_market(make_market, "Licences", "Formation", title="Marché alloti")
    data = complete_data(market)
    essential_data_ensure(market=market)
    complete_lots(data, {2: {"amount": None}})

    assert validate_json(decp(client))["marches"]["marche"] == []
    listing = staff_client.get("/admin/donnees-essentielles/").content.decode()
    assert "Lot n°2 : montant maximum ou estimé du lot (€ HT)" in listing
    edit = staff_client.get(f"/admin/donnees-essentielles/edit/{data.pk}/").content.decode()
    lot_row = data.lots.get(number=2)
    assert reverse("wagtailsnippets_opendata_lotessentialdata:edit", args=[lot_row.pk]) in edit

    lots = staff_client.get("/admin/donnees-essentielles-lots/").content.decode()
    assert "Complet" in lots and "montant maximum ou estimé du lot" in lots
    url = reverse("wagtailsnippets_opendata_lotessentialdata:edit", args=[lot_row.pk])
    form = staff_client.get(url).content.decode()
    assert "Manquant pour publier ce lot en DECP" in form and "réservé aux membres) : Formation" in form
    response = staff_client.post(url, {"identifier": lot_row.identifier, "amount": "120000", "cpv_code": "80533100-0"})
    assert response.status_code == 302, response.context["form"].errors

    records = validate_json(decp(client))["marches"]["marche"]
    assert [(r["id"], r["montant"], r["codeCPV"]) for r in records] == [
        (f"{data.identifier}-1", 250000, "72000000"),
        (f"{data.identifier}-2", 120000, "80533100"),
    ]


def test_a_lot_has_its_own_identifier(make_market, staff_client):
    market = allotted_market(make_market, "Licences", "Formation")
    data = complete_data(market)
    essential_data_ensure(market=market)
    first, second = data.lots.order_by("number")
    first.identifier = "LOT-A"
    first.save()
    url = reverse("wagtailsnippets_opendata_lotessentialdata:edit", args=[second.pk])
    refused = [("LOT-A", "Un autre lot de ce marché"), (data.identifier, "distinct de celui du marché")]
    for identifier, message in refused:
        response = staff_client.post(url, {"identifier": identifier, "amount": "1000"})
        assert response.status_code == 200
        assert message in str(response.context["form"].errors)
    # Nobody adds a lot row by hand: they follow the market's lots.
    assert staff_client.get("/admin/donnees-essentielles-lots/add/").status_code in (403, 404, 302)


def test_publishing_keeps_the_lot_rows_in_step_with_the_lots(make_market, staff):
    market = allotted_market(make_market, "Licences", "Formation", "Support")
    market.save_revision(user=staff).publish(user=staff)
    data = market.essential_data
    assert sorted(data.lots.values_list("number", flat=True)) == [1, 2, 3]
    kept = data.lots.get(number=1)
    kept.identifier = "KEEP-1"
    kept.save()

    market = MarketPage.objects.get(pk=market.pk)
    market.lots = [dict(block) for block in market.lots.raw_data][:2]
    market.save_revision(user=staff).publish(user=staff)
    assert sorted(data.lots.values_list("number", flat=True)) == [1, 2]
    assert data.lots.get(number=1).identifier == "KEEP-1"  # the same lot block keeps its data
    assert LotEssentialData.objects.count() == 2


def test_the_files_and_the_admin_lists_read_a_constant_number_of_queries(client, buyer, make_market, staff_client):
    def count(url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    def counts():
        complete_data(make_market())  # a new market renews the catalogue: the files are computed again
        return [count(url) for url in urls]

    urls = [
        reverse("opendata:decp_json"),
        "/admin/donnees-essentielles/",
        "/admin/donnees-essentielles-lots/",
    ]
    count(urls[0])  # the first request puts the site in the routing cache
    for number in range(2):
        allotted_complete(make_market, "Licences", "Formation", title=f"Alloti {number}")
    few = counts()
    for number in range(2, 7):
        allotted_complete(make_market, "Licences", "Formation", "Support", title=f"Alloti {number}")
    many = counts()
    assert len(validate_json(decp(client))["marches"]["marche"]) == 2 * 2 + 5 * 3 + 2
    assert many == few, (few, many)
