"""The header and footer menus: cached once, emptied when editors publish or change settings."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site

from home.models import SiteSettings, StandardPage

pytestmark = pytest.mark.django_db


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        html = client.get(url).content.decode()
    return len(captured.captured_queries), html


def _page(parent, title, slug, show_in_menus=True):
    page = parent.add_child(instance=StandardPage(title=title, slug=slug, show_in_menus=show_in_menus))
    page.save_revision().publish()
    return page


def test_menus_are_read_once_then_served_from_the_cache(client, home_page, market_index):
    about = _page(home_page, "Qui sommes-nous", "qui-sommes-nous")
    legal = _page(home_page, "Mentions légales du site", "mentions-legales", show_in_menus=False)
    settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    settings.legal_notice_page = legal
    settings.contact_email = "contact@canut.org"
    settings.save()

    first, html = _queries(client, about.url)
    second, again = _queries(client, about.url)

    assert second < first
    assert again == html
    assert f'<a href="{about.url}">Qui sommes-nous</a>' in html
    assert f'<a href="{market_index.url}">Tous les marchés</a>' in html
    assert f'<a href="{legal.url}">Mentions légales</a>' in html
    assert "mailto:contact@canut.org" in html


def test_publishing_unpublishing_and_settings_refresh_the_menus(client, home_page, market_index):
    client.get(market_index.url)  # menus cached
    news = _page(home_page, "Actualités", "actualites")
    assert '">Actualités</a>' in client.get(market_index.url).content.decode()

    news.title = "Les actualités"
    news.save_revision().publish()
    assert '">Les actualités</a>' in client.get(market_index.url).content.decode()

    news.unpublish()
    assert "actualités</a>" not in client.get(market_index.url).content.decode()

    settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    settings.contact_email = "nouvelle@canut.org"
    settings.save()
    assert "mailto:nouvelle@canut.org" in client.get(market_index.url).content.decode()


def test_same_menus_for_visitors_and_members(client, home_page, market_index, member):
    _page(home_page, "Qui sommes-nous", "qui-sommes-nous")
    anonymous = client.get(market_index.url).content.decode()
    client.force_login(member)
    logged_in = client.get(market_index.url).content.decode()
    assert '">Qui sommes-nous</a>' in anonymous and '">Qui sommes-nous</a>' in logged_in
    assert "Tableau de bord" in logged_in and "Tableau de bord" not in anonymous
