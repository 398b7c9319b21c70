"""A digest run reads the same handful of queries for 10 members or 1,000."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from alerts.digests import digest_run
from alerts.models import Delivery, Frequency, SavedSearch, Source
from members.models import User
from tests.factories.markets import MarketPageFactory

from .conftest import publish


def members_with_searches(count, start):
    users = User.objects.bulk_create(
        User(email=f"agent{start + n}@mairie.fr", status="active", is_active=True) for n in range(count)
    )
    since = timezone.now()
    SavedSearch.objects.bulk_create(
        SavedSearch(
            user=user,
            name="Licences",
            source=source,
            params={"q": ["licences"]},
            frequency=Frequency.DAILY,
            checked_until=since,
        )
        for user in users
        for source in (Source.MARKETS, Source.PRICES)
    )


def run_counting(day):
    Delivery.objects.all().delete()
    with CaptureQueriesContext(connection) as queries:
        sent = digest_run(frequency=Frequency.DAILY, day=day)
    return sent, len(queries)


@pytest.mark.django_db
def test_constant_queries_for_a_digest_over_a_thousand_members(market_index, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    members_with_searches(10, 0)
    publish(MarketPageFactory(parent=market_index, title="Licences bureautiques", live=False))
    run_counting(timezone.localdate())  # the first run fills the caches (the site's root paths)
    SavedSearch.objects.update(checked_until=timezone.now() - timezone.timedelta(days=1))
    few_sent, few = run_counting(timezone.localdate())

    SavedSearch.objects.update(checked_until=timezone.now() - timezone.timedelta(days=1))
    members_with_searches(990, 10)
    SavedSearch.objects.update(checked_until=timezone.now() - timezone.timedelta(days=1))
    many_sent, many = run_counting(timezone.localdate())
    assert (few_sent, many_sent) == (10, 1000)
    assert many == few, (few, many)
