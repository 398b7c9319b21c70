"""What accepted reports tell: sales excluding VAT by agreement, lot, holder, half-year,
buyer category and region; late or missing reports; sales outside any subscription; a
chart per agreement drawn on the server; the home page's rounded total."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from directory.models import DirectoryEntry
from members.models import Establishment

from .models import Report, SalesLine
from .regions import category_of, region_of

HEADERS = (
    "Semestre",
    "Accord-cadre",
    "Lot",
    "Titulaire",
    "SIRET",
    "Établissement",
    "Catégorie",
    "Région",
    "Montant HT (€)",
    "Quantité",
    "Hors souscription",
)


def accepted_lines(*, market_id=None):
    lines = SalesLine.objects.filter(report__status=Report.Status.ACCEPTED)
    return lines.filter(report__market_id=market_id) if market_id else lines


def _totals(lines, *fields):
    return [
        (tuple(row[field] for field in fields), row["total"])
        for row in lines.values(*fields).annotate(total=Sum("amount")).order_by("-total", *fields)
    ]


def _places(sirets):
    """{siret: (category, region)} in two queries, whatever the number of buyers."""
    directory = {
        siret: (legal, postcode, name)
        for siret, legal, postcode, name in DirectoryEntry.objects.filter(siret__in=sirets).values_list(
            "siret", "legal_category", "postcode", "name"
        )
    }
    members = {
        siret: (postcode, name)
        for siret, postcode, name in Establishment.objects.filter(siret__in=sirets).values_list(
            "siret", "postcode", "name"
        )
    }
    places = {}
    for siret in sirets:
        legal, postcode, name = directory.get(siret, ("", "", ""))
        member_postcode, member_name = members.get(siret, ("", ""))
        places[siret] = (
            category_of(legal_category=legal, name=name or member_name),
            region_of(member_postcode or postcode),
        )
    return places


def _grouped(by_siret, places, index):
    totals = {}
    for siret, amount in by_siret:
        key = places[siret][index]
        totals[key] = totals.get(key, Decimal("0")) + amount
    return sorted(totals.items(), key=lambda item: (-item[1], item[0]))


@dataclass
class Figures:
    total: Decimal
    by_market: list
    by_lot: list
    by_holder: list
    by_half: list
    by_category: list
    by_region: list
    out_of_subscription: Decimal
    late: list


def sales_figures(*, market_id=None) -> Figures:
    lines = accepted_lines(market_id=market_id)
    by_siret = [(key[0], total) for key, total in _totals(lines, "siret")]
    places = _places([siret for siret, _ in by_siret])
    halves = _totals(lines, "report__campaign__year", "report__campaign__half")
    return Figures(
        total=lines.aggregate(total=Sum("amount"))["total"] or Decimal("0"),
        by_market=[(key[0], total) for key, total in _totals(lines, "report__market__title")],
        by_lot=_totals(lines, "report__market__title", "lot"),
        by_holder=[(key[0], total) for key, total in _totals(lines, "report__holder__name")],
        by_half=sorted(((f"S{half} {year}", total) for (year, half), total in halves), key=_half_order),
        by_category=_grouped(by_siret, places, 0),
        by_region=_grouped(by_siret, places, 1),
        out_of_subscription=lines.filter(out_of_subscription=True).aggregate(total=Sum("amount"))["total"]
        or Decimal("0"),
        late=late_reports(market_id=market_id),
    )


def _half_order(item):
    half, year = item[0].split()
    return (int(year), half)


def late_reports(*, market_id=None):
    """Reports past their deadline and not submitted (never, or not since sent back)."""
    reports = Report.objects.filter(
        status__in=[Report.Status.DRAFT, Report.Status.REJECTED], campaign__deadline__lt=timezone.localdate()
    ).select_related("campaign", "market", "holder")
    return list(reports.filter(market_id=market_id) if market_id else reports)


def export_rows(*, market_id=None):
    lines = accepted_lines(market_id=market_id).select_related("report__campaign", "report__market", "report__holder")
    lines = list(lines.order_by("report__campaign__year", "report__campaign__half", "report__market__title", "row"))
    places = _places({line.siret for line in lines})
    return [
        (
            str(line.report.campaign),
            line.report.market.title,
            line.lot,
            line.report.holder.name,
            line.siret,
            line.name,
            *places[line.siret],
            line.amount,
            line.quantity,
            "oui" if line.out_of_subscription else "non",
        )
        for line in lines
    ]


# The chart ------------------------------------------------------------------------------

WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 640, 240, 70, 40, 20


@dataclass
class Bar:
    label: str
    value: Decimal
    x: float
    y: float
    width: float
    height: float
    label_x: float


def chart(points):
    """Bars for [(label, amount)], in the SVG's own coordinates: the template draws them
    (no JavaScript; the table beside gives the same figures)."""
    if not points:
        return None
    peak = max((value for _, value in points), default=0) or 1
    slot = (WIDTH - LEFT - 10) / len(points)
    usable = HEIGHT - BOTTOM - TOP
    bars = []
    for index, (label, value) in enumerate(points):
        height = float(value) / float(peak) * usable
        x = LEFT + index * slot + slot * 0.15
        bars.append(Bar(label, value, x, HEIGHT - BOTTOM - height, slot * 0.7, height, x + slot * 0.35))
    return {
        "bars": bars,
        "width": WIDTH,
        "height": HEIGHT,
        "axis_y": HEIGHT - BOTTOM,
        "left": LEFT,
        "top": TOP,
        "peak": peak,
        "label_y": HEIGHT - BOTTOM + 18,
    }


def market_charts(*, market_id=None):
    """[(market title, chart, points)] over the half-years, one per agreement."""
    lines = accepted_lines(market_id=market_id)
    rows = (
        lines.values("report__market_id", "report__market__title", "report__campaign__year", "report__campaign__half")
        .annotate(total=Sum("amount"))
        .order_by("report__market__title", "report__campaign__year", "report__campaign__half")
    )
    series = {}
    for row in rows:
        key = (row["report__market__title"], row["report__market_id"])
        series.setdefault(key, []).append(
            (f"S{row['report__campaign__half']} {row['report__campaign__year']}", row["total"])
        )
    return [(title, chart(points), points) for (title, _), points in series.items()]


# The home page -------------------------------------------------------------------------


def accepted_volume() -> Decimal:
    """The overall business volume holders declared in accepted reports."""
    return Report.objects.filter(status=Report.Status.ACCEPTED).aggregate(total=Sum("volume"))["total"] or Decimal("0")


def rounded_amount(amount: Decimal) -> str:
    """ "40 M€", "850 k€", "900 €": rounded down, so "plus de" stays true."""
    amount = int(amount)
    if amount >= 1_000_000:
        return f"{amount // 1_000_000} M€"
    if amount >= 1_000:
        return f"{amount // 1_000} k€"
    return f"{amount} €"
