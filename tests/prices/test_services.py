"""A new version is compared with the current lines, and applying it keeps each line's history."""

import datetime
import io
from decimal import Decimal

import pytest

from markets.access import Audience
from prices.models import PriceLine, PriceLineVersion, PriceSource
from prices.parsing import read_price_table
from prices.services import compare, current_lines
from tests.factories.markets import MarketPageFactory, piece
from tests.prices.conftest import ROWS, document_with, import_rows, xlsx

pytestmark = pytest.mark.django_db

REVISED = [
    ["Adobe", "Acrobat Pro — abonnement 1 an", "Création et PDF", "13 %", "263,88"],  # list price up 10 %
    ["Adobe", "Acrobat Standard — abonnement 1 an", "Création et PDF", "15 %", "179,88"],  # discount up: net down
    ["Microsoft", "Visio — licence perpétuelle", "Environnement de travail", "10 %", "sur devis"],  # unchanged
    ["Nitro", "Nitro PDF Pro", "Création et PDF", "18 %", "179"],  # new
]  # Bitdefender removed


@pytest.fixture
def catalogue(market_index):
    document = document_with(xlsx(ROWS), "Catalogue")
    market = MarketPageFactory(parent=market_index, documents=[piece(document, "catalogue", Audience.PUBLIC)])
    import_rows(market, document, ROWS)
    return market, document


def test_first_import_creates_lines_with_one_version_each(catalogue):
    market, document = catalogue
    assert PriceSource.objects.get().document == document
    lines = PriceLine.objects.order_by("pk")
    assert lines.count() == 4 and PriceLineVersion.objects.count() == 4
    acrobat = lines[0]
    assert acrobat.net_price == Decimal("208.70") and acrobat.market == market
    assert " acrobat pro " in acrobat.search_text and "creation" in acrobat.search_text


def test_diff_tells_added_removed_up_and_down_with_percentages(catalogue):
    market, document = catalogue
    parsed = read_price_table(io.BytesIO(xlsx(REVISED)))
    summary = compare(current_lines(market, document), parsed.lines).summary()
    counts = [summary[name] for name in ("added", "removed", "up", "down", "unchanged")]
    assert counts == [1, 1, 1, 1, 1]
    changes = {c["designation"]: c for c in summary["changed_lines"]}
    assert changes["Acrobat Pro — abonnement 1 an"]["percent"] == 10.0
    assert changes["Acrobat Standard — abonnement 1 an"]["direction"] == "down"
    assert changes["Acrobat Standard — abonnement 1 an"]["percent"] == pytest.approx(-3.4, abs=0.05)
    assert summary["removed_lines"][0]["designation"] == "GravityZone Endpoint Security"
    assert summary["added_lines"][0]["designation"] == "Nitro PDF Pro"


def test_applying_a_revision_keeps_history_and_hides_removed_lines(catalogue):
    market, document = catalogue
    import_rows(market, document, REVISED, applies_from=datetime.date(2025, 7, 1))
    acrobat = PriceLine.objects.get(designation__startswith="Acrobat Pro")
    assert acrobat.net_price == Decimal("229.58") and acrobat.applies_from == datetime.date(2025, 7, 1)
    history = list(acrobat.versions.values_list("applies_from", "net_price"))
    assert history == [(datetime.date(2025, 1, 1), Decimal("208.70")), (datetime.date(2025, 7, 1), Decimal("229.58"))]
    removed = PriceLine.objects.get(publisher="Bitdefender")
    assert not removed.active and removed.versions.last().removed
    visio = PriceLine.objects.get(publisher="Microsoft")
    assert visio.versions.count() == 1 and visio.applies_from == datetime.date(2025, 1, 1)
    assert PriceLine.objects.filter(active=True).count() == 4
    # Reinstated in a later version: active again, with one more version.
    import_rows(market, document, ROWS, applies_from=datetime.date(2026, 1, 1))
    removed.refresh_from_db()
    assert removed.active and removed.versions.count() == 3
