import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from markets.models import MarketPage
from members.models import User
from subscriptions.models import Subscription

pytestmark = [pytest.mark.bench, pytest.mark.django_db]


def test_benchmark_measures_both_pages_and_leaves_no_data(home_page):
    before = [model.objects.count() for model in (MarketPage, User, Subscription)]
    out = StringIO()

    call_command("benchmark_dashboard", "--subscriptions", "25", "--runs", "2", stdout=out)

    output = out.getvalue()
    for label in ("tableau de bord", "mes marchés"):
        match = re.search(rf"{label}\s+(\d+\.\d) ms\s+(\d+\.\d) ms\s+(\d+)", output)
        assert match, output
        median, p95, queries = match.groups()
        assert 0 < float(median) <= float(p95) and int(queries) > 0
    assert "HTTP" not in output and "annulées" in output
    assert [model.objects.count() for model in (MarketPage, User, Subscription)] == before


def test_benchmark_refuses_nonsense_volumes():
    with pytest.raises(CommandError):
        call_command("benchmark_dashboard", "--subscriptions", "0", stdout=StringIO())
