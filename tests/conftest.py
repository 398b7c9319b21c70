import pytest
from django.conf import settings
from wagtail.models import Collection, Locale, Page, Site

from home.models import HomePage
from tests.factories.markets import MarketIndexPageFactory


@pytest.fixture
def home_page(db):
    """A HomePage at the root of the default site, built here rather than by migrations."""
    # Live-server tests flush the tables, migration-made rows included: rebuild what is missing.
    Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    Collection.get_first_root_node() or Collection.add_root(name="Root")
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
    home = root.add_child(
        instance=HomePage(title="Accueil", slug="accueil-test", hero_title="La centrale d'achat du numérique")
    )
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "root_page": home, "port": 80}
    )
    return home


@pytest.fixture
def market_index(home_page):
    return MarketIndexPageFactory(parent=home_page)
