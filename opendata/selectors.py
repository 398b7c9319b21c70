"""Reads for open data: the contracts the DECP files carry (a market without lots, or each lot
of an allotted one), what each lacks, and the files themselves."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Prefetch
from django.utils import timezone

from markets.models import CatalogueStamp, Holder, MarketHolder, MarketPage

from .models import DECP_SINCE, DECP_THRESHOLD, LotEssentialData, MarketEssentialData, OpenDataSettings

REQUIRED = [
    "identifier", "nature", "procedure", "techniques", "execution_modes", "cpv_code", "place_code", "place_kind",
    "duration_months", "amount", "price_form", "price_types", "ccag", "offers_received", "operators_grouping",
    "social_considerations", "environmental_considerations",
]  # fmt: skip
LOT_REQUIRED = ["identifier", "amount"]
# What a lot takes from its market when its own field is empty.
LOT_INHERITED = ["cpv_code", "offers_received", "duration_months"]
CACHE_SECONDS = 24 * 3600


def buyer_siret():
    return OpenDataSettings.load().buyer_siret


@dataclass
class LotBlock:
    """A lot block of the live market, as its raw stream gives it."""

    block_id: str
    number: int | None
    holder_ids: list[int]

    @property
    def label(self):
        return f"Lot n°{self.number}" if self.number else "Lot unique"


def lot_blocks(market) -> list[LotBlock]:
    """The market's lot blocks, read from the raw stream: no query, where the blocks' values
    would fetch their holders market by market."""
    found = []
    for block in market.lots.raw_data:
        value = block.get("value") or {}
        holder_ids = []
        for item in value.get("holders") or []:
            # A ListBlock stores {"type": "item", "value": …, "id": …} (older data: the value alone).
            entry = item.get("value", {}) if "holder" not in item else item
            if isinstance(entry.get("holder"), int) and entry["holder"] not in holder_ids:
                holder_ids.append(entry["holder"])
        number = value.get("number")
        found.append(LotBlock(block["id"], number if isinstance(number, int) else None, holder_ids))
    return found


@dataclass
class Contract:
    """One record of the DECP files: a market without lots, or one lot of an allotted market
    (its own identifier, amount and holders; CPV, offers and duration its own or the market's)."""

    data: MarketEssentialData
    lot: LotEssentialData | None = None
    block: LotBlock | None = None
    holders: list[Holder] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    def _value(self, name):
        if self.lot is not None and (name in LOT_REQUIRED or getattr(self.lot, name) not in (None, "")):
            return getattr(self.lot, name)
        return getattr(self.data, name)

    @property
    def identifier(self) -> str:
        return self._value("identifier")

    @property
    def subject(self) -> str:
        title = self.data.market.title
        if self.block is None:
            return title
        return (self.lot.subject if self.lot and self.lot.subject else f"{title} — {self.block.label}")[:1000]

    @property
    def amount(self) -> Decimal:
        return self._value("amount")

    @property
    def cpv_code(self) -> str:
        return self._value("cpv_code")

    @property
    def offers_received(self) -> int:
        return self._value("offers_received")

    @property
    def duration_months(self) -> int:
        return self._value("duration_months")

    @property
    def first_published_on(self) -> date | None:
        return (self.lot or self.data).first_published_on

    @property
    def row(self):
        """The row whose `first_published_on` this record stamps."""
        return self.lot or self.data


def _field_label(model, name):
    return str(model._meta.get_field(name).verbose_name)


def contracts_of(rows, *, buyer) -> dict[int, tuple[list[str], list[Contract]]]:
    """For each essential data row (lots and holder links prefetched, see
    essential_data_queryset): (what the market itself lacks, its contracts each with what it
    lacks). One query for every lot's holders, however many markets."""
    rows = list(rows)
    blocks = {row.pk: lot_blocks(row.market) for row in rows}
    wanted = {pk for lots in blocks.values() for block in lots for pk in block.holder_ids}
    holders = Holder.objects.select_related("decp").in_bulk(wanted) if wanted else {}
    result = {}
    for row in rows:
        missing = [_field_label(MarketEssentialData, name) for name in REQUIRED if getattr(row, name) in (None, "", [])]
        if not buyer:
            missing.append("SIRET de l'acheteur (Paramètres › Données ouvertes)")
        if not blocks[row.pk]:
            contract = Contract(row, holders=[link.holder for link in row.market.holder_links.all()])
            if not contract.holders:
                contract.missing.append("titulaires")
            result[row.pk] = (missing, [contract])
            continue
        lot_rows = {lot.block_id: lot for lot in row.lots.all()}
        contracts = []
        for block in blocks[row.pk]:
            lot = lot_rows.get(block.block_id)
            contract = Contract(row, lot, block, [holders[pk] for pk in block.holder_ids if pk in holders])
            if lot is None:
                contract.missing.append("données du lot (publiez le marché à nouveau)")
            else:
                contract.missing += [_field_label(LotEssentialData, name) for name in LOT_REQUIRED
                                     if getattr(lot, name) in (None, "")]  # fmt: skip
            if not contract.holders:
                contract.missing.append("titulaires")
            contracts.append(contract)
        identifiers = [c.identifier for c in contracts if c.identifier]
        if len(set(identifiers)) < len(identifiers) or row.identifier in identifiers:
            missing.append("identifiants DECP distincts pour chaque lot")
        result[row.pk] = (missing, contracts)
    for _, contracts in result.values():
        for contract in contracts:
            contract.missing += [f"SIRET de {h.name}" for h in contract.holders if getattr(h, "decp", None) is None]
    return result


def essential_data_missing(data, *, buyer=None, contracts=None):
    """The French labels of what `data` lacks for the DECP files (empty: complete), each lot's
    lacks prefixed with its label."""
    if contracts is None:
        buyer = buyer if buyer is not None else buyer_siret()
        contracts = contracts_of([data], buyer=buyer)[data.pk]
    missing, records = contracts
    for contract in records:
        prefix = f"{contract.block.label} : " if contract.block else ""
        missing = missing + [prefix + item for item in contract.missing]
    return missing


def in_scope(data, today=None):
    """Notified since 2024 (and not in the future), for €40,000 excl. VAT or more (the
    agreement's maximum, all lots together)."""
    today = today or timezone.localdate()
    notified_on = data.market.notified_on
    return DECP_SINCE <= notified_on <= today and data.amount is not None and data.amount >= DECP_THRESHOLD


def essential_data_queryset():
    holders = MarketHolder.objects.select_related("holder__decp").order_by("sort_order")
    return MarketEssentialData.objects.select_related("market").prefetch_related(
        Prefetch("market__holder_links", queryset=holders), "lots"
    )


def publishable_contracts(*, today=None):
    """The contracts the files carry: of live, public markets in scope with complete data
    (an allotted market is published once all its lots are complete, one record per lot).

    Stamps `first_published_on` on the rows published for the first time (the format's
    datePublicationDonnees, which never changes afterwards).
    """
    today = today or timezone.localdate()
    buyer = buyer_siret()
    rows = essential_data_queryset().filter(
        market__in=MarketPage.objects.live().public(),
        market__notified_on__gte=DECP_SINCE,
        market__notified_on__lte=today,
        amount__gte=DECP_THRESHOLD,
    )
    rows = list(rows.order_by("market__notified_on", "identifier"))
    published = []
    by_row = contracts_of(rows, buyer=buyer)
    for row in rows:
        if not essential_data_missing(row, contracts=by_row[row.pk]):
            published += by_row[row.pk][1]
    for model in (MarketEssentialData, LotEssentialData):
        new = [c.row.pk for c in published if isinstance(c.row, model) and c.row.first_published_on is None]
        if new:
            model.objects.filter(pk__in=new, first_published_on__isnull=True).update(first_published_on=today)
    for contract in published:
        contract.row.first_published_on = contract.row.first_published_on or today
    return published, buyer


def decp_file(fmt, *, today=None):
    """(the file's bytes, its publication date), cached until the catalogue or the day changes."""
    from .decp import to_json, to_xml

    today = today or timezone.localdate()
    key = f"opendata:decp:{CatalogueStamp.current()}:{today.isoformat()}:{fmt}"
    cached = cache.get(key)
    if cached is None:
        contracts, buyer = publishable_contracts(today=today)
        body = (to_json if fmt == "json" else to_xml)(contracts, buyer=buyer)
        cached = (body, today)
        cache.set(key, cached, CACHE_SECONDS)
    return cached
