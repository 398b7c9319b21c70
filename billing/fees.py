"""The one fee computation: the member's estimate and the invoice both call `fee_compute`.

Pure functions over plain values (no database): amounts are Decimal, each line is rounded
half-up to the cent, totals are the sums of the lines.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .models import HEADCOUNT_BANDS, SizeBasis

CENT = Decimal("0.01")
HUNDRED = Decimal("100")
TWELVE = Decimal("12")
THIN_SPACE = "\u202f"


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def billable_months(*, finalized_on: datetime.date, year: int) -> int:
    """Months of `year` billed: from the month after finalization, then whole years.

    A subscription finalized in December has nothing to pay that year: its first invoice is
    the yearly one of the next year.
    """
    if finalized_on.year > year:
        return 0
    if finalized_on.year < year:
        return 12
    return 12 - finalized_on.month


def rank_discount(*, rank: int, second: Decimal, later: Decimal) -> Decimal:
    """The degressive rule: percent off the subscription ranked `rank` in its year."""
    if rank <= 1:
        return Decimal("0")
    return second if rank == 2 else later


def band_for(bands, *, population=None, headcount_band=""):
    """The band of a commune (by population), another body (by SIRENE headcount band) or
    the default band when the size is unknown."""
    by_basis = {}
    for band in bands:
        by_basis.setdefault(band.basis, []).append(band)
    if population is not None:
        value, basis = population, SizeBasis.POPULATION
    else:
        value = HEADCOUNT_BANDS.get(headcount_band, (None, None))[1]
        basis = SizeBasis.HEADCOUNT
    if value is not None:
        for band in by_basis.get(basis, []):
            if (band.low or 0) <= value and (band.high is None or value <= band.high):
                return band
    defaults = by_basis.get(SizeBasis.DEFAULT)
    return defaults[0] if defaults else None


@dataclass(frozen=True)
class FeeLine:
    label: str
    amount_excl_vat: Decimal
    vat_amount: Decimal


@dataclass(frozen=True)
class Fee:
    year: int
    band_label: str
    annual_amount: Decimal
    months: int
    rank: int
    discount: Decimal
    vat_rate: Decimal
    lines: tuple

    @property
    def prorated_amount(self) -> Decimal:
        return self.lines[0].amount_excl_vat

    @property
    def is_prorated(self) -> bool:
        return self.months < 12

    @property
    def total_excl_vat(self) -> Decimal:
        return sum((line.amount_excl_vat for line in self.lines), Decimal("0.00"))

    @property
    def vat_amount(self) -> Decimal:
        return sum((line.vat_amount for line in self.lines), Decimal("0.00"))

    @property
    def total_incl_vat(self) -> Decimal:
        return self.total_excl_vat + self.vat_amount


def fee_compute(*, schedule, bands, year, months, rank, population=None, headcount_band="", non_member=False) -> Fee:
    """What one subscription owes for `months` of `year`, ranked `rank` among its payer's
    subscriptions of that year, under `schedule` (a FeeSchedule) and its `bands`."""
    band = band_for(bands, population=population, headcount_band=headcount_band)
    if band is None:
        raise ValueError(f"Le barème {schedule.year} n'a pas de tranche par défaut.")
    annual = band.non_member_amount if non_member and band.non_member_amount is not None else band.amount
    rate = schedule.vat_rate / HUNDRED
    label = f"Frais d'utilisation {year} — {band.label}"
    if months < 12:
        label += f" — {months} mois sur 12"
    base = money(annual * months / TWELVE)
    lines = [FeeLine(label, base, money(base * rate))]
    discount = rank_discount(rank=rank, second=schedule.second_discount, later=schedule.later_discount)
    if discount and base:
        off = -money(base * discount / HUNDRED)
        lines.append(
            FeeLine(f"{ordinal(rank)} souscription de l'année : −{percent(discount)} %", off, money(off * rate))
        )
    return Fee(
        year=year,
        band_label=band.label,
        annual_amount=money(annual),
        months=months,
        rank=rank,
        discount=discount,
        vat_rate=schedule.vat_rate,
        lines=tuple(lines),
    )


def ordinal(rank: int) -> str:
    return "1re" if rank == 1 else f"{rank}e"


def percent(value: Decimal) -> str:
    return f"{value.normalize():f}".replace(".", ",")


def euros(value: Decimal) -> str:
    """French money: 1 234,50 € (narrow no-break space for thousands)."""
    sign = "-" if value < 0 else ""
    whole, cents = f"{abs(money(value)):.2f}".split(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return sign + THIN_SPACE.join(groups) + "," + cents + "\u00a0€"


def validate_bands(bands) -> list[str]:
    """Every problem with a schedule's bands, as French sentences (empty: valid).

    Per basis (population, headcount) bands must start at 0, follow each other without
    overlap or gap, and only the last may be open-ended; exactly one default band.
    """
    errors = []
    defaults = [band for band in bands if band.basis == SizeBasis.DEFAULT]
    if len(defaults) != 1:
        errors.append("Le barème doit avoir exactement une tranche par défaut (pour une taille inconnue).")
    for basis in (SizeBasis.POPULATION, SizeBasis.HEADCOUNT):
        ranged = sorted((b for b in bands if b.basis == basis), key=lambda b: (b.low or 0, b.high is None, b.high or 0))
        if not ranged:
            continue
        name = "habitants" if basis == SizeBasis.POPULATION else "salariés"
        for band in ranged:
            if band.high is not None and band.high < (band.low or 0):
                errors.append(f"La tranche « {band.label} » finit avant de commencer.")
        if (ranged[0].low or 0) != 0:
            errors.append(f"Aucune tranche ne couvre de 0 à {ranged[0].low - 1} {name}.")
        for before, after in zip(ranged, ranged[1:], strict=False):
            if before.high is None or (after.low or 0) <= before.high:
                errors.append(f"Les tranches « {before.label} » et « {after.label} » se chevauchent.")
            elif (after.low or 0) > before.high + 1:
                errors.append(f"Aucune tranche ne couvre de {before.high + 1} à {after.low - 1} {name}.")
        if ranged[-1].high is not None:
            errors.append(f"Aucune tranche ne couvre au-delà de {ranged[-1].high} {name}.")
    return errors
