"""A simulation's page, note and spreadsheet cost the same number of queries for 5 lines or 50."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from prices.models import PriceLine
from simulations.models import Simulation, SimulationLine
from tests.factories.billing import fee_schedule
from tests.simulations.conftest import bpu_market

pytestmark = pytest.mark.django_db


@pytest.fixture
def big_markets(market_index):
    return [
        bpu_market(market_index, title, [[f"{title[:3]}-{n}", f"{title} article {n}", f"{n},99"] for n in range(25)])
        for title in ("Postes de travail", "Logiciels")
    ]


def queries(client, simulation, name):
    url = reverse(f"simulations:{name}", args=[simulation.pk])
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


def test_fifty_lines_cost_what_five_cost(client, member, commune, big_markets):
    today = timezone.localdate()
    fee_schedule(today.year), fee_schedule(today.year + 1)
    simulation = Simulation.objects.create(owner=member, name="Grosse simulation", establishment=commune)
    lines = list(PriceLine.objects.filter(market__in=big_markets).order_by("market_id", "pk"))
    few = [*lines[:3], *lines[25:27]]  # both markets
    SimulationLine.objects.bulk_create(
        SimulationLine(simulation=simulation, price_line=pl, quantity=Decimal("2"), price_at_add=pl.net_price)
        for pl in few
    )
    client.force_login(member)
    queries(client, simulation, "detail")  # the site's menus and settings, cached on the first page
    counts = {name: queries(client, simulation, name) for name in ("detail", "note", "lines")}
    SimulationLine.objects.bulk_create(
        SimulationLine(simulation=simulation, price_line=pl, quantity=Decimal("2"), price_at_add=pl.net_price)
        for pl in lines
        if pl not in few
    )
    assert simulation.lines.count() == 50
    assert {name: queries(client, simulation, name) for name in ("detail", "note", "lines")} == counts
