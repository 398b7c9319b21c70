import re
from io import StringIO

import pytest
from django.core.management import call_command

from prices.models import PriceLine

pytestmark = [pytest.mark.bench, pytest.mark.django_db]


def test_benchmark_measures_then_leaves_nothing_behind():
    out = StringIO()
    call_command("benchmark_prices", lines=400, agreements=2, import_rows=200, runs=1, stdout=out)
    text = out.getvalue()
    assert text.count("HTTP 200") == 6 and "lignes/s" in text and "Mio" in text
    # Each search beside the floor view of the same lines and counts, served and computed.
    ratios = re.findall(r"plancher : +\d+\.\d ms \((\d+) requêtes\) ; (\d+\.\d\d)x servie, (\d+\.\d\d)x calculée", text)
    assert len(ratios) == 5 and all(int(queries) > 0 and float(a) > 0 < float(b) for queries, a, b in ratios)
    assert not PriceLine.objects.exists()
