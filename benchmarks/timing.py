"""How the benchmarks time a page: Django's test client, median and p95, SQL queries counted."""

import contextlib
import gc
import math
import re
import statistics
import time
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings


def member_client(user=None):
    """A client logged in as an active member (nothing of theirs changes the catalogue)."""
    user = user or get_user_model().objects.create_user(
        email="benchmark@exemple.fr", password="benchmark-mot-de-passe", status="active"
    )
    client = anonymous_client()
    client.force_login(user)
    return client


def anonymous_client():
    hosts = [h for h in settings.ALLOWED_HOSTS if h != "*"]
    host = hosts[0].lstrip(".") if hosts else "localhost"
    return Client(HTTP_HOST=host)


def serving():
    """Settings for the run: the benchmark's URLs, and static files that need no collectstatic.

    `benchmarks.urls` serves the floor and wagtail/bakerydemo's search view beside the whole
    site. The manifest storage of production settings fails on every page until collectstatic
    has run; the pages' server time does not depend on which storage names the CSS file.
    """
    plain = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    storages = {**settings.STORAGES, "staticfiles": plain}
    return override_settings(ROOT_URLCONF="benchmarks.urls", STORAGES=storages)


def percentile(values, share):
    """Nearest-rank percentile: the smallest value with `share` of the values at or below it."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


@dataclass
class Timing:
    label: str
    median_ms: float
    p95_ms: float
    queries: int
    status: int
    found: str  # "N marchés trouvés" on list pages, empty elsewhere
    floor: "Timing | None" = None
    computed: "Timing | None" = None  # the list pages: the same with the results not cached yet
    bakerydemo: "Timing | None" = None  # the keyword search only: wagtail/bakerydemo's view

    @property
    def ratio(self):
        return self.median_ms / self.floor.median_ms if self.floor else None

    def faster_than(self, other):
        """How many times our median `other`'s takes (above 1: ours is faster)."""
        return other.median_ms / self.median_ms


def measure(label, url, *, runs, client=None, before=None, floor=None):
    """`url` timed `runs` times. `before`, if given, runs before each request, untimed
    (`CatalogueStamp.renew`: the results are computed each time, as for the first visitor
    after a publish). `floor`, if given, is the floor view's URL, requested (anonymously)
    after each request of the page and timed into the result's `floor`: a change in the
    machine's speed during the run weighs on both alike, and their ratio holds."""
    page = _Sampled(label, url, client or anonymous_client(), before)
    beside = _Sampled(f"plancher {label}", floor, anonymous_client(), None) if floor else None
    for _ in range(runs):
        page.sample()
        if beside:
            beside.sample()
    timing = page.timing()
    timing.floor = beside.timing() if beside else None
    return timing


class _Sampled:
    """One URL's requests: a warm-up, one with its queries counted, then the timed ones."""

    def __init__(self, label, url, client, before):
        self.label, self.url, self.client = label, url, client
        self.before = before or (lambda: None)
        self.secure = getattr(settings, "SECURE_SSL_REDIRECT", False)
        client.get(url, secure=self.secure)  # warm-up: templates, caches
        # With DEBUG on, the log is full of the generation's queries and each request resets
        # it: start empty so the count is this request's.
        self.before()
        reset_queries()
        with CaptureQueriesContext(connection) as queries:
            self.response = client.get(url, secure=self.secure)
        self.queries = len(queries)  # read now: captured_queries is a view of a log later requests clear
        self.durations = []

    def sample(self):
        self.before()
        start = time.perf_counter()
        self.client.get(self.url, secure=self.secure)
        self.durations.append((time.perf_counter() - start) * 1000)

    def timing(self):
        found = re.search(r"(\d+) marchés? trouvés?", self.response.content.decode())
        return Timing(
            self.label,
            statistics.median(self.durations),
            percentile(self.durations, 0.95),
            self.queries,
            self.response.status_code,
            found.group(1) if found else "",
        )


@contextlib.contextmanager
def frozen_heap():
    """As in a gunicorn worker (config/gunicorn.py), what the process holds before the first
    request is frozen out of the collector's full scans: here that is mostly the generated
    volume (5,000 pages and their blocks), which a worker never holds and whose scans made
    the p95 of every page, floor included, a full collection's pause."""
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
