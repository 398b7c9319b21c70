import pytest
from wagtail.models import Page, Site

from home.models import HomePage
from tests.factories.markets import MarketIndexPageFactory


@pytest.fixture
def home_page(db):
    """A HomePage at the root of the default site, built here rather than by migrations."""
    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="Accueil", slug="accueil-test", hero_title="La centrale d'achat du numérique"))
    Site.objects.update_or_create(is_default_site=True, defaults={"hostname": "localhost", "root_page": home, "port": 80})
    return home


@pytest.fixture
def market_index(home_page):
    return MarketIndexPageFactory(parent=home_page)
