"""Wagtail's routing from the cache (core.routing): one query for the page, and every change
of a page, a site or a privacy restriction seen by the next request."""

import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction, Site

from core import routing
from tests.factories.markets import MarketPageFactory

pytestmark = pytest.mark.django_db


def routed(client, url):
    """(status, the SQL of the request that reads the page tree, its sites or restrictions)."""
    with CaptureQueriesContext(connection) as captured:
        status = client.get(url).status_code
    tables = ("wagtailcore_page", "wagtailcore_site", "wagtailcore_pageviewrestriction")
    queries = [q["sql"] for q in captured.captured_queries]
    return status, [sql for sql in queries if any(table in sql.split(" WHERE")[0] for table in tables)]


def test_a_page_is_routed_in_one_query_and_its_restrictions_read_once(client, market_index):
    market = MarketPageFactory(parent=market_index)
    first = routed(client, market.url)
    status, again = routed(client, market.url)
    assert first[0] == status == 200 and len(first[1]) > len(again)
    # The page by id (and its parent, which the page's breadcrumb reads), the restrictions once.
    assert sum("wagtailcore_pageviewrestriction" in sql.split(" WHERE")[0] for sql in again) == 1
    assert not any("wagtailcore_site" in sql for sql in again)


def test_without_the_setting_wagtail_routes_as_before(client, market_index, settings):
    settings.ROUTING_CACHE = False
    market = MarketPageFactory(parent=market_index)
    routed(client, market.url)
    status, queries = routed(client, market.url)
    assert status == 200 and any("wagtailcore_site" in sql for sql in queries)


def test_unpublished_moved_and_renamed_pages_are_routed_again_at_once(client, market_index, home_page):
    market = MarketPageFactory(parent=market_index, slug="logiciels")
    other = MarketPageFactory(parent=market_index, slug="materiels")
    for page in (market, other):
        assert client.get(page.url).status_code == 200
    old_url = market.url
    market.slug = "logiciels-2026"
    market.save_revision().publish()
    assert client.get(old_url).status_code == 404
    assert client.get("/marches/logiciels-2026/").status_code == 200

    other_url = other.url
    other.unpublish()
    assert client.get(other_url).status_code == 404
    other.save_revision().publish()
    assert client.get(other_url).status_code == 200
    other.move(home_page, pos="last-child")
    moved = client.get(other_url)  # Wagtail's automatic redirect, not the cached route
    assert moved.status_code == 301 and moved["Location"] == "/materiels/"
    assert client.get("/materiels/").status_code == 200


def test_a_new_restriction_applies_to_the_next_request(client, market_index):
    market = MarketPageFactory(parent=market_index)
    assert client.get(market.url).status_code == 200
    restriction = PageViewRestriction.objects.create(page=market_index, restriction_type=PageViewRestriction.LOGIN)
    response = client.get(market.url)
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert market.title not in client.get(market_index.url).content.decode()  # the catalogue hides it too
    restriction.delete()
    assert client.get(market.url).status_code == 200


def test_a_page_saved_keeps_the_cached_site(client, market_index):
    client.get(market_index.url)
    MarketPageFactory(parent=market_index)
    assert not any("wagtailcore_site" in sql for sql in routed(client, "/compte/connexion/")[1])


def test_a_site_change_is_seen_at_once(client, market_index):
    assert client.get(market_index.url).status_code == 200
    site = Site.objects.get()
    site.hostname, site.is_default_site = "ailleurs.example", False
    site.save()
    assert client.get(market_index.url).status_code == 404  # no site for this host now


def test_a_change_in_another_process_is_seen_at_once_through_redis(client, market_index, redis_server):
    """Two processes, one Redis: a token renewed by the other (as when its worker saves a
    page) makes this one route through Wagtail again on its very next request."""
    market = MarketPageFactory(parent=market_index)
    routed(client, market.url)
    cached = routed(client, market.url)[1]
    assert routed(client, market.url)[1] == cached  # still cached
    environment = {
        **os.environ,
        "REDIS_URL": f"redis://127.0.0.1:{redis_server.port}/0",
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "x" * 50,
    }
    before = routing.tokens()[routing.PAGES]
    code = (
        "import django; django.setup(); from core import routing; "
        "old = routing.tokens()[routing.PAGES]; routing.routing_changed(); print(old)"
    )
    output = subprocess.run(
        [sys.executable, "-c", code],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
        cwd=django_settings.BASE_DIR,
    ).stdout.split()
    assert output[-1] == before != routing.tokens()[routing.PAGES]  # the other process read our token, then renewed it
    status, after = routed(client, market.url)
    assert status == 200 and len(after) > len(cached)  # the site and the route read again
