import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from opendata.models import MarketEssentialData

from .conftest import complete_data, validate_json, validate_xml

pytestmark = pytest.mark.django_db


def decp(client, fmt="json"):
    response = client.get(reverse(f"opendata:decp_{fmt}"))
    assert response.status_code == 200
    return response.content


def test_complete_markets_are_published_valid_against_both_official_schemas(client, buyer, make_market):
    first = make_market(title="Logiciels & <services>")
    second = make_market(notified_on=datetime.date(2025, 6, 30))
    complete_data(first)
    complete_data(second, advance_granted=False, advance_rate=None, amount=Decimal("40000"))

    document = validate_json(decp(client, "json"))
    xml = validate_xml(decp(client, "xml"))

    records = document["marches"]["marche"]
    assert [r["id"] for r in records] == [f"AC{first.pk:06d}", f"AC{second.pk:06d}"]
    record = records[0]
    assert record["acheteur"] == {"id": buyer}
    assert record["objet"] == "Logiciels & <services>"
    assert record["dateNotification"] == "2024-03-01"
    assert record["datePublicationDonnees"] == datetime.date.today().isoformat()
    assert record["montant"] == 1200000.5 and record["tauxAvance"] == 0.05
    holder = first.holder_links.get().holder
    assert record["titulaires"] == [{"titulaire": {"typeIdentifiant": "SIRET", "id": holder.decp.siret}}]
    assert "tauxAvance" not in records[1]
    assert [m.findtext("id") for m in xml.findall("marche")] == [r["id"] for r in records]
    assert xml.find("marche/objet").text == "Logiciels & <services>"


def test_markets_missing_data_out_of_scope_or_not_live_are_left_out(client, buyer, make_market):
    complete = make_market()
    complete_data(complete)
    complete_data(make_market(), cpv_code="")  # incomplete
    complete_data(make_market(notified_on=datetime.date(2023, 12, 31)))  # before the orders
    complete_data(make_market(), amount=Decimal("39999.99"))  # under the threshold
    upcoming = datetime.date.today() + datetime.timedelta(days=10)
    complete_data(make_market(notified_on=upcoming, ends_on=upcoming + datetime.timedelta(days=900)))
    draft = make_market()
    complete_data(draft)
    draft.unpublish()
    no_siret = make_market()
    complete_data(no_siret)
    no_siret.holder_links.get().holder.decp.delete()

    records = validate_json(decp(client))["marches"]["marche"]
    assert [r["id"] for r in records] == [f"AC{complete.pk:06d}"]


def test_without_the_buyers_siret_nothing_is_published_and_the_files_stay_valid(client, make_market):
    complete_data(make_market())
    assert validate_json(decp(client)) == {"marches": {"marche": []}}
    validate_xml(decp(client, "xml"))


def test_the_publication_date_is_the_first_one_and_an_edit_regenerates_the_file(client, buyer, make_market):
    data = complete_data(make_market())
    decp(client)
    data.refresh_from_db()
    first_day = datetime.date.today() - datetime.timedelta(days=30)
    MarketEssentialData.objects.filter(pk=data.pk).update(first_published_on=first_day)
    data.refresh_from_db()
    data.offers_received = 7
    data.save()  # renews the catalogue stamp: the cached file is not served again

    record = validate_json(decp(client))["marches"]["marche"][0]
    assert record["offresRecues"] == 7
    assert record["datePublicationDonnees"] == first_day.isoformat()


@pytest.mark.parametrize("code", ["99999999", "7200000", "72000000-5", "abc"])
def test_a_cpv_code_outside_the_nomenclature_is_refused(make_market, code):
    data = MarketEssentialData(market=make_market(), cpv_code=code)
    with pytest.raises(ValidationError) as error:
        data.full_clean()
    assert "cpv_code" in error.value.message_dict


def test_enumerated_lists_only_take_the_schemas_values(make_market):
    data = MarketEssentialData(market=make_market(), techniques=["Accord-cadre", "Gré à gré"])
    with pytest.raises(ValidationError) as error:
        data.full_clean()
    assert "techniques" in error.value.message_dict


def test_the_admin_lists_what_each_market_lacks(staff_client, buyer, make_market):
    complete_data(make_market(title="Marché complet"))
    incomplete = make_market(title="Marché incomplet")
    MarketEssentialData.objects.create(market=incomplete, identifier="INC1")

    listing = staff_client.get("/admin/donnees-essentielles/").content.decode()
    assert "Manquant" in listing and "Publiable" in listing
    holder = incomplete.holder_links.get().holder
    assert "code CPV" in listing and f"SIRET de {holder.name}" in listing
    data = incomplete.essential_data
    edit = staff_client.get(f"/admin/donnees-essentielles/edit/{data.pk}/").content.decode()
    assert "Manquant pour publier ce marché en DECP" in edit and "nombre d&#x27;offres reçues" in edit
    # The lists read as the schema spells them, not as Django would make a label of a name.
    assert "Système d&#x27;acquisition dynamique" in edit and ">Sad<" not in edit

    # The showcase page stays published whatever is missing.
    assert staff_client.get(incomplete.url).status_code == 200


def test_publishing_a_market_gives_it_an_essential_data_row(make_market, staff):
    market = make_market()
    assert not MarketEssentialData.objects.filter(market=market).exists()
    market.save_revision(user=staff).publish(user=staff)
    assert MarketEssentialData.objects.filter(market=market).exists()


def test_the_open_data_page_explains_and_links_the_files(client, buyer, make_market):
    complete_data(make_market())
    page = client.get(reverse("opendata:index")).content.decode()
    assert "Licence Ouverte 2.0" in page
    assert reverse("opendata:decp_json") in page and reverse("opendata:decp_xml") in page
    assert "1 marché publié" in page
    assert 'href="/donnees/"' in page  # the footer's link
