"""The price history chart of a line at 1, 2 and 30 versions: one price is one labelled
point; with many, no two labels overlap and none leaves the chart. Screenshots of each
chart in var/screenshots/ to look at."""

import datetime

import pytest
from playwright.sync_api import expect
from wagtail.models import Site

from markets.access import Audience
from tests.browser.test_layout import SCREENSHOTS
from tests.factories.markets import HolderFactory, MarketPageFactory, holder_entry, piece
from tests.prices.conftest import document_with, import_rows, xlsx

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

HEADERS = ["Référence", "Désignation", "Unité", "Prix maximum HT"]


@pytest.fixture
def histories(market_index, live_server):
    site = Site.objects.get(is_default_site=True)
    site.hostname, site.port = "localhost", live_server.thread.port
    site.save()
    holder = HolderFactory(name="SCC")
    document = document_with(xlsx([["A", "Un", "u", "1"]], HEADERS), "BPU")
    market = MarketPageFactory(
        parent=market_index,
        title="Matériels",
        holders=[("holder", holder_entry(holder))],
        documents=[piece(document, "bpu", Audience.PUBLIC)],
    )
    start = datetime.date(2024, 1, 1)
    for n in range(30):  # "Trente" changes 30 times, "Deux" once, "Une" never
        rows = [["UNE", "Une version", "unité", "89"]]
        rows.append(["DEUX", "Deux versions", "unité", "165" if n == 0 else "1234.5"])
        rows.append(["TRENTE", "Trente versions", "unité", str(100 + (n * 37) % 90 + n / 10)])
        import_rows(market, document, rows, applies_from=start + datetime.timedelta(days=30 * n), headers=HEADERS)
    return market


OVERLAPS = """svg => {
  const box = svg.getBoundingClientRect();
  const texts = [...svg.querySelectorAll("text")].map(t => t.getBoundingClientRect());
  const out = r => r.left < box.left - 0.5 || r.right > box.right + 0.5 || r.top < box.top - 0.5
    || r.bottom > box.bottom + 0.5;
  const outside = texts.filter(out).length;
  let overlapping = 0;
  for (let i = 0; i < texts.length; i++) for (let j = i + 1; j < texts.length; j++) {
    const a = texts[i], b = texts[j];
    if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) overlapping++;
  }
  return {texts: texts.length, outside, overlapping, lines: svg.querySelectorAll("polyline").length};
}"""


@pytest.mark.parametrize("title, versions", [("Une version", 1), ("Deux versions", 2), ("Trente versions", 30)])
def test_the_chart_is_readable_at_any_number_of_versions(page, histories, title, versions):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/")
    page.get_by_role("navigation", name="Navigation principale").get_by_role("link", name="Produits et prix").click()
    page.get_by_role("link", name=title, exact=True).click()
    expect(page.get_by_role("heading", name="Historique du prix")).to_be_visible()
    chart = page.locator("figure.price-chart")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    chart.screenshot(path=SCREENSHOTS / f"1280-prix-graphique-{versions}.png")
    found = chart.locator("svg").evaluate(OVERLAPS)
    assert found["outside"] == 0 and found["overlapping"] == 0, found
    if versions == 1:
        assert found["lines"] == 0 and found["texts"] == 2  # one point: its price and its date
        expect(chart.locator("text").first).to_have_text("89,00 €")
    else:
        assert found["lines"] == 1 and 4 <= found["texts"] <= 16
    assert page.locator("table tbody tr").count() == versions
