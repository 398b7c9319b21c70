import datetime

from wagtail.test.utils import WagtailPageTestCase

from home.models import HomePage, StandardPage
from markets.models import MarketIndexPage
from tests.factories.markets import HolderFactory, MarketPageFactory, ThemeFactory, holder_entry


class HomeTreeTests(WagtailPageTestCase):
    def test_tree_rules(self):
        self.assertAllowedSubpageTypes(StandardPage, {StandardPage})
        self.assertCanCreateAt(HomePage, StandardPage)
        self.assertCanCreateAt(HomePage, MarketIndexPage)


def test_key_figures_and_latest_markets_come_from_the_data(client, market_index):
    logiciel = ThemeFactory(name="Logiciel")
    travail = ThemeFactory(name="Environnement de travail", parent=logiciel)
    scc, esi = HolderFactory(name="SCC"), HolderFactory(name="E.S.I.")
    for title, holder in (("Multi-éditeurs", scc), ("Virtualisation", esi), ("Microsoft", scc)):
        market = MarketPageFactory(parent=market_index, title=title, holders=[("holder", holder_entry(holder))])
        market.themes.set([travail])
        market.save()
    MarketPageFactory(
        parent=market_index,
        title="Terminé",
        ends_on=datetime.date(2020, 1, 1),
        notified_on=datetime.date(2016, 1, 1),
    )
    response = client.get(market_index.get_parent().url)
    figures = response.context["figures"]
    assert figures == {"markets": 3, "holders": 2, "themes": 1}
    html = response.content.decode()
    assert "<strong>3</strong> accords-cadres en cours" in html
    assert "Terminé" not in [m.title for m in response.context["latest_markets"]]
