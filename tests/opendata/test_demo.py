import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from markets.models import MarketPage

from .conftest import validate_json, validate_xml

pytestmark = pytest.mark.django_db


def test_the_demos_decp_files_validate_and_carry_its_agreements_in_scope(client):
    call_command("load_demo", "--force", "--skip-index", stdout=StringIO())

    records = validate_json(client.get(reverse("opendata:decp_json")).content)["marches"]["marche"]
    validate_xml(client.get(reverse("opendata:decp_xml")).content)

    in_scope = MarketPage.objects.live().filter(
        notified_on__gte=datetime.date(2024, 1, 1), notified_on__lte=datetime.date.today()
    )
    # One record per lot of an allotted agreement, one for an agreement without lots.
    assert len(records) == sum(max(1, len(market.lots)) for market in in_scope) > in_scope.count() >= 8
    assert all(record["acheteur"]["id"] and record["titulaires"] for record in records)
    ids = [record["id"] for record in records]
    assert len(set(ids)) == len(ids)
    lots = [record for record in records if " — Lot n°" in record["objet"]]
    assert len({record["codeCPV"] for record in lots}) > 1
