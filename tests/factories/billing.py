"""Fee schedules and finalized subscriptions to invoice."""

import datetime

from billing.models import FeeBand, FeeSchedule, SizeBasis
from tests.factories.subscriptions import SubscriptionFactory

BANDS = [
    (SizeBasis.POPULATION, 0, 999, "150.00", None),
    (SizeBasis.POPULATION, 1000, 4999, "350.00", "450.00"),
    (SizeBasis.POPULATION, 5000, None, "700.00", None),
    (SizeBasis.HEADCOUNT, 0, 49, "200.00", None),
    (SizeBasis.HEADCOUNT, 50, None, "500.00", None),
    (SizeBasis.DEFAULT, None, None, "300.00", None),
]


def fee_schedule(year=2026, bands=BANDS, **fields) -> FeeSchedule:
    schedule = FeeSchedule.objects.create(year=year, **fields)
    FeeBand.objects.bulk_create(FeeBand.from_row(row, schedule=schedule) for row in bands)
    return schedule


def finalized_subscription(*, market, establishment, finalized_on: datetime.date, **fields):
    return SubscriptionFactory(
        market=market,
        establishment=establishment,
        sent_on=finalized_on - datetime.timedelta(days=10),
        received_on=finalized_on - datetime.timedelta(days=5),
        finalized_on=finalized_on,
        countersigned_convention="conventions/signee.pdf",
        **fields,
    )
