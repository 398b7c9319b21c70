import random
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from wagtail.models import Page, Site
from wagtail.search.models import IndexEntry

from benchmarks import generation
from markets.models import Holder, MarketDocument, MarketPage, Theme

pytestmark = [pytest.mark.bench, pytest.mark.django_db]

LINE = r"{label}\s+(\d+\.\d) ms\s+(\d+\.\d) ms\s+(\d+)\s+(\d*)"
FLOOR = r"{label}\s+\d+\.\d ms\s+\d+\.\d ms\s+\d+\s+(\d*)\s+(\d+\.\d) ms\s+(\d+\.\d) ms\s+(\d+)\s+(\d+\.\d)x"


def test_benchmark_prints_each_page_and_leaves_no_data():
    site_root = Site.objects.get(is_default_site=True).root_page_id
    before = [model.objects.count() for model in (Page, MarketPage, Holder, Theme, MarketDocument)]
    out = StringIO()

    call_command("benchmark_catalogue", "--markets", "20", "--runs", "2", stdout=out)

    output = out.getvalue()
    rows = {}
    labels = [
        "liste avec facettes",
        r"liste filtrée \(titulaire \+ thème\)",
        "recherche « logiciels »",
        "page d'un marché",
    ]
    for label in labels:
        match = re.search(LINE.format(label=label), output)
        assert match, f"no line for {label} in:\n{output}"
        rows[label] = match.groups()
    for median, p95, queries, _found in rows.values():
        assert 0 < float(median) <= float(p95) and int(queries) > 0
    assert int(rows["liste avec facettes"][3]) > 0  # the generated markets are listed
    # The list pages are measured beside the floor, which finds the same markets, and the
    # market page beside a bare view of its fields.
    for label in labels:
        found, floor_median, floor_p95, floor_queries, ratio = re.search(FLOOR.format(label=label), output).groups()
        assert 0 < float(floor_median) <= float(floor_p95) and int(floor_queries) > 0 and float(ratio) > 0
    assert "le plancher trouve" not in output
    # Each also computed as for the first visitor after a publish: more queries than cached.
    computed = re.findall(
        r"sans cache \(premier visiteur après une publication\) : médiane (\d+\.\d) ms, p95 (\d+\.\d) ms,"
        r" (\d+) requêtes SQL ; (\d+\.\d)x le plancher",
        output,
    )
    assert len(computed) == 3, output
    for (median, p95, queries, ratio), label in zip(computed, labels, strict=False):
        assert 0 < float(median) <= float(p95) and int(queries) > int(rows[label][2]) and float(ratio) > 0
    # Beside our keyword search, wagtail/bakerydemo's search view on the same data (PostgreSQL only).
    bakery = re.search(
        r"wagtail/bakerydemo : médiane (\d+\.\d) ms, p95 (\d+\.\d) ms, (\d+) requêtes SQL ;"
        r" (\d+\.\d)x notre temps \((\d+\.\d)x sans cache\)",
        output,
    )
    if connection.vendor == "postgresql":
        assert bakery and float(bakery[1]) > 0 and int(bakery[3]) > 0 and float(bakery[4]) > 0 and float(bakery[5]) > 0
    else:
        assert "wagtail/bakerydemo : non mesurée" in output
    assert re.search(LINE.format(label=r"liste avec facettes \(connecté\)"), output)
    assert "HTTP" not in output  # every page answered 200
    assert "annulées" in output

    assert [model.objects.count() for model in (Page, MarketPage, Holder, Theme, MarketDocument)] == before
    assert Site.objects.get(is_default_site=True).root_page_id == site_root


def test_benchmark_runs_with_the_manifest_storage_and_no_collectstatic(settings):
    """Production settings: DEBUG off, manifest static storage, collectstatic never run."""
    settings.DEBUG = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    out = StringIO()

    call_command("benchmark_catalogue", "--markets", "5", "--runs", "1", stdout=out)

    assert "HTTP" not in out.getvalue()


def test_benchmark_refuses_nonsense_volumes():
    with pytest.raises(CommandError):
        call_command("benchmark_catalogue", "--markets", "0", stdout=StringIO())


def test_bulk_generation_stores_what_add_child_and_save_would():
    """`add_markets` skips Wagtail's per-page save: the tree, rows, relations and index are the same."""
    generated = generation.generate_catalogue(markets=6, holders=3, themes=6)
    index = Page.objects.get(pk=generated.index.pk)
    assert Page.find_problems() == ([], [], [], [], [])
    assert index.numchild == 6 and index.get_children().live().type(MarketPage).count() == 6
    # The third market again, saved the usual way below the same index.
    bulk = MarketPage.objects.get(pk=generated.markets[2].pk)
    usual = generation._market(2, random.Random(0), generated.holders, {})
    usual.lots, usual.documents, usual.slug = bulk.lots, bulk.documents, "comparaison"
    usual.themes.set(bulk.themes.all())
    index.add_child(instance=usual)

    def stored(page):
        page = MarketPage.objects.get(pk=page.pk)
        indexed = IndexEntry.objects.filter(content_type_id=page.content_type_id, object_id=str(page.pk))
        return {
            "tree": (page.depth, page.get_parent().pk, page.url_path.replace(page.slug, "")),
            "page": (page.live, page.locale_id, page.content_type_id, page.title, page.draft_title),
            "themes": sorted(page.themes.values_list("pk", flat=True)),
            "holders": list(page.holder_links.values_list("holder_id", "sort_order")),
            "pieces": list(page.pieces.values_list("document_id", "title", "kind", "audience", "sort_order")),
            "index": list(indexed.values_list("title", "body")),
        }

    assert stored(bulk) == stored(usual)
    assert "titulair" in str(stored(bulk)["index"]).lower()  # holder names are indexed (stemmed on PostgreSQL)
    assert Page.find_problems() == ([], [], [], [], [])
