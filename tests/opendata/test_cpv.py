import csv
import gzip

import pytest
from django.core.exceptions import ValidationError

from opendata.cpv import CODE_COUNT, CSV_PATH, cpv_labels, cpv_search, normalize_cpv
from opendata.models import MarketEssentialData


def test_the_data_file_holds_the_whole_cpv_2008_nomenclature():
    with gzip.open(CSV_PATH, "rt", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == CODE_COUNT == 9454
    assert len(cpv_labels()) == 9454  # every code once
    assert all(len(row["CODE"]) == 10 and row["FR"].strip() for row in rows)
    # The divisions from the first to the last, not only IT and telecoms.
    assert {code[:2] for code in cpv_labels()} >= {"03", "15", "30", "45", "48", "72", "90", "98"}
    assert cpv_labels()["30200000"] == "Matériel et fournitures informatiques"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("typed", "code", "label"),
    [
        ("90910000", "90910000", "Services de nettoyage"),
        ("45000000-7", "45000000", "Travaux de construction"),  # with its check digit, as often quoted
        (" 15000000 ", "15000000", "Produits alimentaires, boissons, tabac et produits connexes"),
    ],
)
def test_a_code_from_outside_it_is_accepted_with_its_french_label(staff_client, make_market, typed, code, label):
    data = MarketEssentialData.objects.create(market=make_market())
    url = f"/admin/donnees-essentielles/edit/{data.pk}/"
    response = staff_client.post(url, {"market": data.market_id, "cpv_code": typed})
    assert response.status_code == 302, response.context["form"].errors
    data.refresh_from_db()
    assert data.cpv_code == code and data.cpv_label == label
    edit = staff_client.get(url).content.decode()
    assert label.replace("'", "&#x27;") in edit  # shown under the box
    assert edit.count("<option") < 200  # no page carries the nomenclature


@pytest.mark.django_db
@pytest.mark.parametrize(
    "code",
    ["99999999", "7200000", "72000000-4", "abc", "30200000\x00", "1" * 5000, "Services de nettoyage"],
    ids=["unknown", "short", "wrong-check-digit", "letters", "nul", "huge", "label"],
)
def test_an_unknown_or_malformed_code_is_refused(make_market, staff_client, code):
    data = MarketEssentialData(market=make_market(), cpv_code=normalize_cpv(code))
    with pytest.raises(ValidationError) as error:
        data.full_clean()
    assert "cpv_code" in error.value.message_dict

    data.cpv_code = ""
    data.save()
    url = f"/admin/donnees-essentielles/edit/{data.pk}/"
    response = staff_client.post(url, {"market": data.market_id, "cpv_code": code})
    if "\x00" in code or len(code) > 100:
        assert response.status_code == 400  # core.middleware: a NUL or a huge number is a bad request
    else:
        assert response.status_code == 200
        assert "cpv_code" in response.context["form"].errors
    data.refresh_from_db()
    assert data.cpv_code == ""


def test_search_finds_codes_by_their_digits_or_the_words_of_their_label():
    assert cpv_search("9091")[0] == ("90910000", "Services de nettoyage")
    assert ("90910000", "Services de nettoyage") in cpv_search("services nettoyage")
    assert ("30230000", "Matériel informatique") in cpv_search("Matériel informatique")
    assert ("30200000", "Matériel et fournitures informatiques") in cpv_search("30200000-1")
    assert len(cpv_search("services")) == 20
    assert cpv_search("") == [] and cpv_search("zzzzqqq") == []


@pytest.mark.django_db
def test_the_admin_suggests_codes_as_you_type_and_only_to_staff(client, staff_client):
    response = staff_client.get("/admin/donnees-ouvertes/cpv/", {"q": "nettoyage"})
    assert response.status_code == 200
    results = response.json()["results"]
    assert 0 < len(results) <= 20 and {"code": "90910000", "label": "Services de nettoyage"} in results
    assert staff_client.get("/admin/donnees-ouvertes/cpv/", {"q": "x" * 10_000}).json() == {"results": []}
    assert staff_client.get("/admin/donnees-ouvertes/cpv/", {"q": "a\x00"}).status_code == 400

    client.logout()
    assert client.get("/admin/donnees-ouvertes/cpv/", {"q": "nettoyage"}).status_code == 302  # to the login
