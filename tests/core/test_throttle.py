"""Hourly limits hold across workers: without a shared cache they count in the database."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from core import throttle
from core.models import RateCounter

pytestmark = pytest.mark.django_db


def hits(n, *, each_in_another_worker):
    answers = []
    for _ in range(n):
        if each_in_another_worker:
            cache.clear()  # a local-memory cache is per process: the next worker starts empty
        answers.append(throttle.allow(("client", "ip:203.0.113.7"), limit=3, namespace="test"))
    return answers


def test_without_a_shared_cache_the_limit_holds_across_workers(settings):
    settings.THROTTLE_STORE = "database"
    assert hits(5, each_in_another_worker=True) == [True, True, True, False, False]


def test_what_a_per_process_cache_would_do(settings):
    """Why the database: counted in each worker's memory, every worker allows its own 3."""
    settings.THROTTLE_STORE = "cache"
    assert hits(5, each_in_another_worker=True) == [True] * 5


def test_the_window_opens_again_after_an_hour(settings):
    settings.THROTTLE_STORE = "database"
    assert hits(4, each_in_another_worker=False)[-1] is False
    RateCounter.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert hits(1, each_in_another_worker=False) == [True]


def test_expired_counters_are_removed(settings):
    settings.THROTTLE_STORE = "database"
    RateCounter.objects.create(key="old", count=9, expires_at=timezone.now() - timedelta(hours=2))
    hits(1, each_in_another_worker=False)
    assert not RateCounter.objects.filter(key="old").exists()


def test_each_identity_is_counted_even_when_another_is_over(settings):
    settings.THROTTLE_STORE = "database"
    for _ in range(3):
        throttle.allow(("client", "a"), limit=3, namespace="test")
    assert throttle.allow(("client", "a"), ("email", "x@nyons.fr"), limit=3, namespace="test") is False
    assert RateCounter.objects.get(key=throttle._key("test", "email", "x@nyons.fr")).count == 1
