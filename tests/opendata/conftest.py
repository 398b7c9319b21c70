import datetime
import json
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest
from lxml import etree

from markets.models import MarketPage
from opendata import schema
from opendata.models import HolderSiret, MarketEssentialData, OpenDataSettings
from tests.factories.directory import siret_of, valid_siret
from tests.factories.markets import HolderFactory, MarketPageFactory, holder_entry, lot

SCHEMAS = Path(__file__).parent / "schemas"


def validate_json(body: bytes):
    document = json.loads(body)
    schema_ = json.loads((SCHEMAS / "schema_decp_v2.0.3.json").read_text(encoding="utf-8"))
    jsonschema.Draft7Validator(schema_).validate(document)
    return document


def validate_xml(body: bytes):
    xsd = etree.XMLSchema(etree.parse(str(SCHEMAS / "schema_decp_v2.0.2.xsd")))
    document = etree.fromstring(body)
    xsd.assertValid(document)
    return document


def complete_data(market, **overrides):
    for link in market.holder_links.select_related("holder"):
        HolderSiret.objects.get_or_create(holder=link.holder, defaults={"siret": siret_of(link.holder.siren, 12)})
    fields = {
        "identifier": f"AC{market.pk:06d}",
        "nature": schema.Nature.MARCHE,
        "procedure": schema.Procedure.AO_OUVERT,
        "techniques": [schema.Technique.ACCORD_CADRE],
        "execution_modes": [schema.ExecutionMode.BONS_DE_COMMANDE],
        "cpv_code": "72000000",
        "place_code": "69",
        "place_kind": schema.PlaceCodeKind.DEPARTEMENT,
        "duration_months": 48,
        "amount": Decimal("1200000.50"),
        "price_form": schema.PriceForm.UNITAIRE,
        "price_types": [schema.PriceType.REVISABLE],
        "ccag": schema.Ccag.TIC,
        "offers_received": 3,
        "advance_granted": True,
        "advance_rate": Decimal("0.05"),
        "operators_grouping": schema.OperatorsGrouping.AUCUN,
        "social_considerations": [schema.SocialConsideration.CLAUSE],
        "environmental_considerations": [schema.EnvironmentalConsideration.CRITERE],
        **overrides,
    }
    data = MarketEssentialData(market=market, **fields)
    data.full_clean()
    data.save()
    return data


@pytest.fixture
def buyer(db):
    settings = OpenDataSettings.load()
    settings.buyer_siret = valid_siret(7)
    settings.save()
    return settings.buyer_siret


@pytest.fixture
def make_market(market_index):
    def make(**fields):
        fields.setdefault("notified_on", datetime.date(2024, 3, 1))
        return MarketPageFactory(parent=market_index, **fields)

    return make


def allotted_market(make_market, *titles, **fields):
    """A live market with one lot per title, each held by a holder of its own; read back from
    the database, so its lot blocks carry their ids."""
    lots = [lot(number, title, holder_entry(HolderFactory())) for number, title in enumerate(titles, start=1)]
    market = make_market(lots=lots, holders=[], **fields)
    return MarketPage.objects.get(pk=market.pk)


def complete_lots(data, overrides=None):
    """Each lot of `data` its identifier and amount (per-lot `overrides` by lot number)."""
    rows = list(data.lots.order_by("number"))
    for row in rows:
        for link in data.market.holder_links.select_related("holder"):
            HolderSiret.objects.get_or_create(holder=link.holder, defaults={"siret": siret_of(link.holder.siren, 12)})
        row.identifier = f"{data.identifier}-{row.number}"
        row.amount = Decimal("250000")
        for name, value in (overrides or {}).get(row.number, {}).items():
            setattr(row, name, value)
        row.full_clean()
        row.save()
    return rows
