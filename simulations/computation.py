"""The one computation of a simulation: the page, the note and the spreadsheet all show it.

Pure functions over plain values (no database). Money is Decimal; as on the invoices
(billing.fees), each line's amount and VAT are rounded half-up to the cent and every total is
the sum of its lines. A line counts at its price now; its price when added only says it changed.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from billing.fees import HUNDRED, money

ZERO = Decimal("0.00")
VAT_RATE = Decimal("20")  # the price pieces' maximum prices are excluding VAT at the standard rate
TENTH = Decimal("0.1")


@dataclass(frozen=True)
class Entry:
    """One line of a simulation as stored (in the database or the session)."""

    price_line: object  # prices.PriceLine, with its market and holder
    quantity: Decimal
    price_at_add: Decimal | None
    paid_unit_price: Decimal | None = None
    pk: object = None  # SimulationLine pk, or the price line's id in a visitor's session


@dataclass(frozen=True)
class LineFigures:
    entry: Entry
    unit_price: Decimal | None  # None: "sur devis" or removed from the agreement, not counted
    total_excl_vat: Decimal
    vat: Decimal
    paid_total: Decimal | None

    @property
    def line(self):
        return self.entry.price_line

    @property
    def priced(self):
        return self.unit_price is not None

    @property
    def removed(self):
        return not self.line.active

    @property
    def price_changed(self):
        old = self.entry.price_at_add
        return self.line.active and old is not None and self.unit_price is not None and old != self.unit_price

    @property
    def total_incl_vat(self):
        return self.total_excl_vat + self.vat


@dataclass
class LotGroup:
    lot: str
    holders: str
    lines: list = field(default_factory=list)


@dataclass
class AgreementFigures:
    market: object
    lots: list
    total_excl_vat: Decimal
    vat: Decimal
    used: bool  # the establishment already has a live subscription: no new fee
    estimate: object  # billing.selectors.Estimate, or None (no establishment, no schedule, already used)
    quote: Decimal | None  # what they pay today or another quote, for the whole agreement
    compared_excl_vat: Decimal | None  # the central's amount compared (HT)
    reference: Decimal | None  # what the member would pay otherwise (HT)
    buyer_known: bool = True  # False: no establishment chosen, so no fee computed

    @property
    def fee_unknown(self):
        return not self.used and self.estimate is None

    @property
    def total_incl_vat(self):
        return self.total_excl_vat + self.vat

    @property
    def lines(self):
        return [line for lot in self.lots for line in lot.lines]

    @property
    def fee_excl_vat(self) -> Decimal:
        if self.estimate is None or self.estimate.free or self.estimate.fee is None:
            return ZERO
        return self.estimate.fee.total_excl_vat

    @property
    def fee_incl_vat(self) -> Decimal:
        if self.estimate is None or self.estimate.free or self.estimate.fee is None:
            return ZERO
        return self.estimate.fee.total_incl_vat

    @property
    def gain(self) -> Decimal | None:
        if self.reference is None:
            return None
        return self.reference - self.compared_excl_vat - self.fee_excl_vat

    @property
    def gain_percent(self) -> Decimal | None:
        return percent_of(self.gain, self.reference)

    @property
    def compared_lines(self) -> int:
        if self.quote is not None:
            return len([line for line in self.lines if line.priced])
        return len([line for line in self.lines if line.paid_total is not None])


@dataclass
class SimulationFigures:
    agreements: list
    hidden: int  # lines the reader may no longer see: neither shown nor counted

    @property
    def lines(self):
        return [line for agreement in self.agreements for line in agreement.lines]

    @property
    def total_excl_vat(self):
        return sum((a.total_excl_vat for a in self.agreements), ZERO)

    @property
    def vat(self):
        return sum((a.vat for a in self.agreements), ZERO)

    @property
    def total_incl_vat(self):
        return self.total_excl_vat + self.vat

    @property
    def fees_excl_vat(self):
        return sum((a.fee_excl_vat for a in self.agreements), ZERO)

    @property
    def fees_incl_vat(self):
        return sum((a.fee_incl_vat for a in self.agreements), ZERO)

    @property
    def compared(self):
        return [a for a in self.agreements if a.reference is not None]

    @property
    def reference(self):
        compared = self.compared
        return sum((a.reference for a in compared), ZERO) if compared else None

    @property
    def gain(self):
        compared = self.compared
        return sum((a.gain for a in compared), ZERO) if compared else None

    @property
    def gain_percent(self):
        return percent_of(self.gain, self.reference)

    @property
    def changed(self):
        return [line for line in self.lines if line.price_changed]

    @property
    def fees_unknown(self):
        return any(a.fee_unknown for a in self.agreements)

    @property
    def new_agreements(self):
        return [a for a in self.agreements if not a.used]


def percent_of(gain, reference):
    if gain is None or not reference:
        return None
    return (gain * HUNDRED / reference).quantize(TENTH, rounding=ROUND_HALF_UP)


def line_figures(entry: Entry, vat_rate: Decimal = VAT_RATE) -> LineFigures:
    line = entry.price_line
    unit = line.net_price if line.active and not line.on_quote else None
    total = money(unit * entry.quantity) if unit is not None else ZERO
    paid = money(entry.paid_unit_price * entry.quantity) if entry.paid_unit_price is not None else None
    return LineFigures(entry, unit, total, money(total * vat_rate / HUNDRED), paid)


def agreement_figures(*, market, entries, holders_of, used, estimate, quote, buyer_known=True) -> AgreementFigures:
    """`holders_of(price_line)`: who sells the line (its holder, else the market's holders)."""
    lots = {}
    for entry in entries:
        figures = line_figures(entry)
        lot = entry.price_line.lot
        group = lots.setdefault(lot, LotGroup(lot, holders_of(entry.price_line)))
        group.lines.append(figures)
    lines = [line for group in lots.values() for line in group.lines]
    total = sum((line.total_excl_vat for line in lines), ZERO)
    vat = sum((line.vat for line in lines), ZERO)
    if quote is not None:
        reference, compared = quote, total
    else:
        paid = [line for line in lines if line.paid_total is not None and line.priced]
        reference = sum((line.paid_total for line in paid), ZERO) if paid else None
        compared = sum((line.total_excl_vat for line in paid), ZERO) if paid else None
    return AgreementFigures(
        market=market,
        lots=sorted(lots.values(), key=lambda group: group.lot),
        total_excl_vat=total,
        vat=vat,
        used=used,
        estimate=estimate,
        quote=quote,
        compared_excl_vat=compared,
        reference=reference,
        buyer_known=buyer_known,
    )
