"""Complete DECP data for the demo's agreements, so its /donnees/decp.json validates.
Called by demo's load_demo; idempotent (update_or_create), derived from the markets alone."""

import hashlib
from decimal import Decimal

from stdnum import luhn

from markets.models import Holder, MarketPage

from . import schema
from .models import HolderSiret, LotEssentialData, MarketEssentialData, OpenDataSettings
from .services import essential_data_ensure

CPV_BY_SLUG = {
    "multi-editeurs": "48000000",
    "microsoft-et-alternatives": "48000000",
    "logiciels-doccasion": "48000000",
    "virtualisation": "48800000",
    "materiels-bureautiques-neufs": "30200000",
    "telephonie-mobile": "64212000",
    "cybersecurite": "48730000",
    "formation-au-numerique": "80533100",
    "infogerance-et-support": "72500000",
    "equipements-numeriques-educatifs": "30213000",
    "impression-et-reprographie": "79800000",
    "reseaux-et-wi-fi": "32420000",
}
# A lot whose title names these words has a CPV code of its own (the others take the market's).
LOT_CPV_BY_WORD = {
    "formation": "80533100",
    "maintenance": "50312000",
    "support": "72611000",
    "accessoires": "30237000",
    "licences": "48000000",
}
DEMO_BUYER_SIREN = "13000278" + luhn.calc_check_digit("13000278")  # a made-up SIREN with a valid key


def siret_from_siren(siren, nic="0001"):
    prefix = siren + nic
    return prefix + luhn.calc_check_digit(prefix)


def _months(market):
    days = (market.ends_on - market.notified_on).days
    return max(1, round(days / 30.44))


def ensure_demo_essential_data():
    """Returns how many markets were given essential data."""
    settings = OpenDataSettings.load()
    if not settings.buyer_siret:
        settings.buyer_siret = siret_from_siren(DEMO_BUYER_SIREN)
        settings.save()
    for holder in Holder.objects.exclude(siren=""):
        HolderSiret.objects.update_or_create(holder=holder, defaults={"siret": siret_from_siren(holder.siren)})
    markets = list(MarketPage.objects.all())
    for market in markets:
        digest = int(hashlib.sha256(market.slug.encode()).hexdigest(), 16)
        identifier = market.slug.replace("-", "").upper()[:16]
        amount = Decimal(500_000 + 250_000 * (digest % 40))
        essential_data_ensure(market=market)
        data, _ = MarketEssentialData.objects.update_or_create(
            market=market,
            defaults={
                "identifier": identifier,
                "nature": schema.Nature.MARCHE,
                "procedure": schema.Procedure.AO_OUVERT,
                "techniques": [schema.Technique.ACCORD_CADRE],
                "execution_modes": [schema.ExecutionMode.BONS_DE_COMMANDE],
                "cpv_code": CPV_BY_SLUG.get(market.slug, "72000000"),
                "place_code": "FR",
                "place_kind": schema.PlaceCodeKind.PAYS,
                "duration_months": _months(market),
                "amount": amount,
                "price_form": schema.PriceForm.UNITAIRE,
                "price_types": [schema.PriceType.REVISABLE],
                "ccag": schema.Ccag.TIC,
                "offers_received": 2 + digest % 6,
                "operators_grouping": schema.OperatorsGrouping.AUCUN,
                "social_considerations": [schema.SocialConsideration.AUCUNE],
                "environmental_considerations": [schema.EnvironmentalConsideration.CLAUSE],
            },
        )
        _fill_lots(data, market, identifier, amount, digest)
    return len(markets)


def _fill_lots(data, market, identifier, amount, digest):
    """Each lot its own identifier, a share of the market's maximum, and its own CPV code where
    its title calls for one: the demo's allotted markets publish one record per lot."""
    titles = {block.id: block.value["title"].lower() for block in market.lots}
    rows = list(data.lots.all())
    for index, row in enumerate(rows, start=1):
        suffix = f"L{row.number or index}"
        words = titles.get(row.block_id, "")
        row.identifier = identifier[: 16 - len(suffix)] + suffix
        row.amount = (amount * (1 + index) / sum(range(2, len(rows) + 2))).quantize(Decimal("1"))
        row.cpv_code = next((code for word, code in LOT_CPV_BY_WORD.items() if word in words), "")
        row.offers_received = 1 + (digest + index) % 5
        row.full_clean()
        row.save()
    LotEssentialData.objects.filter(essential_data=data).exclude(pk__in=[row.pk for row in rows]).delete()
