"""The figures staff follow: open requests by subject and severity, and per month the
first-response and resolution times (median and 90th percentile) and the share of people
the FAQ answered."""

import datetime
import statistics
from dataclasses import dataclass

from django.db.models import Count
from django.utils import timezone

from .models import FaqResolution, Severity, Subject, SupportRequest
from .models.requests import OPEN_STATUSES

MONTHS_FR = "janvier février mars avril mai juin juillet août septembre octobre novembre décembre".split()
HEADERS = [
    "Mois",
    "Demandes",
    "Résolues par la FAQ",
    "Part résolue par la FAQ (%)",
    "Première réponse : médiane (h)",
    "Première réponse : 90e centile (h)",
    "Résolution : médiane (h)",
    "Résolution : 90e centile (h)",
]


@dataclass
class OpenTable:
    severities: list  # [(value, label)]
    rows: list  # [(subject name, [count per severity], total)]
    totals: list
    total: int


def open_by_subject_and_severity() -> OpenTable:
    """One aggregate query: the open requests (new, in progress, waiting) counted by subject × severity."""
    counts = (
        SupportRequest.objects.filter(status__in=OPEN_STATUSES)
        .values("subject_id", "severity")
        .annotate(n=Count("pk"))
        .order_by()
    )
    cells = {(row["subject_id"], row["severity"]): row["n"] for row in counts}
    severities = list(Severity.choices)
    subject_ids = {subject_id for subject_id, _ in cells}
    rows = []
    for subject in Subject.objects.filter(pk__in=subject_ids).order_by("sort_order", "name"):
        values = [cells.get((subject.pk, value), 0) for value, _ in severities]
        rows.append((subject.name, values, sum(values)))
    totals = [sum(row[1][i] for row in rows) for i in range(len(severities))]
    return OpenTable(severities=severities, rows=rows, totals=totals, total=sum(totals))


def percentile(values: list[float], fraction: float) -> float | None:
    """Linear interpolation between closest ranks (as spreadsheets compute PERCENTILE.INC)."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * fraction
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def _hours(delta: datetime.timedelta) -> float:
    return delta.total_seconds() / 3600


@dataclass
class Month:
    start: datetime.date
    requests: int = 0
    faq_solved: int = 0
    first_response_median: float | None = None
    first_response_p90: float | None = None
    resolution_median: float | None = None
    resolution_p90: float | None = None

    @property
    def label(self):
        return f"{MONTHS_FR[self.start.month - 1]} {self.start.year}"

    @property
    def faq_share(self) -> float | None:
        asked = self.requests + self.faq_solved
        return round(100 * self.faq_solved / asked, 1) if asked else None

    def row(self):
        values = [
            self.first_response_median,
            self.first_response_p90,
            self.resolution_median,
            self.resolution_p90,
        ]
        return [self.label, self.requests, self.faq_solved, self.faq_share, *[_round(v) for v in values]]


def _round(value):
    return round(value, 1) if value is not None else None


def _month_starts(months: int, today: datetime.date) -> list[datetime.date]:
    starts, year, month = [], today.year, today.month
    for _ in range(months):
        starts.append(datetime.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return starts[::-1]


def monthly_figures(*, months: int = 12, now: datetime.datetime | None = None) -> list[Month]:
    """The last `months` months (the current one included), by month of the request's creation.

    Two queries; times in hours, on requests created that month (a request still waiting
    for its first response or its resolution counts in neither).
    """
    now = now or timezone.now()
    starts = _month_starts(months, timezone.localtime(now).date())
    first_day = timezone.make_aware(datetime.datetime.combine(starts[0], datetime.time.min))
    by_month = {start: Month(start=start) for start in starts}
    responses, resolutions = {start: [] for start in starts}, {start: [] for start in starts}
    rows = SupportRequest.objects.filter(created_at__gte=first_day).values_list(
        "created_at", "first_response_at", "resolved_at"
    )
    for created_at, first_response_at, resolved_at in rows:
        start = timezone.localtime(created_at).date().replace(day=1)
        if start not in by_month:
            continue
        by_month[start].requests += 1
        if first_response_at:
            responses[start].append(_hours(first_response_at - created_at))
        if resolved_at:
            resolutions[start].append(_hours(resolved_at - created_at))
    for created_at in FaqResolution.objects.filter(created_at__gte=first_day).values_list("created_at", flat=True):
        start = timezone.localtime(created_at).date().replace(day=1)
        if start in by_month:
            by_month[start].faq_solved += 1
    for start, month in by_month.items():
        month.first_response_median = statistics.median(responses[start]) if responses[start] else None
        month.first_response_p90 = percentile(responses[start], 0.9)
        month.resolution_median = statistics.median(resolutions[start]) if resolutions[start] else None
        month.resolution_p90 = percentile(resolutions[start], 0.9)
    return list(by_month.values())
