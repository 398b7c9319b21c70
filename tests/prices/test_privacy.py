""" "Produits et prix" follows Wagtail page privacy, as the market page does: the lines of a
market under a restriction the reader fails are never listed, counted, compared, exported
or opened by URL (markets.access.readable_markets, the catalogue's rule)."""

import io

import openpyxl
import pytest
from django.contrib.auth.models import Group
from wagtail.models import PageViewRestriction

from markets.access import Audience
from prices.models import PriceLine

pytestmark = pytest.mark.django_db


def seen(client, public_line):
    """What the reader gets of the public lines, on each page of "Produits et prix"."""
    results = client.get("/prix/").context["results"]
    compare = client.get("/prix/comparer/", {"ligne": [public_line.pk]}).context["lines"]
    export = client.get("/prix/export.xlsx", {"ligne": [public_line.pk]})
    exported = len(list(openpyxl.load_workbook(io.BytesIO(export.content)).active.iter_rows())) - 1
    searched = client.get("/prix/export.xlsx", {"q": "acrobat"})
    searched_rows = len(list(openpyxl.load_workbook(io.BytesIO(searched.content)).active.iter_rows())) - 1
    return {
        "total": results.total,
        "facet": sum(value.count for value in results.facets["market"]),
        "line": client.get(f"/prix/{public_line.pk}/").status_code,
        "compared": len(compare),
        "exported": exported,
        "exported_search": searched_rows,
    }


HIDDEN = {"total": 0, "facet": 0, "line": 404, "compared": 0, "exported": 0, "exported_search": 0}
SHOWN = {"total": 5, "facet": 5, "line": 200, "compared": 1, "exported": 1, "exported_search": 2}


@pytest.fixture
def public_line(priced):
    _, documents, _ = priced
    return PriceLine.objects.get(source__document=documents[Audience.PUBLIC], designation__startswith="Acrobat Pro")


def test_a_password_protected_market_shows_its_lines_once_the_password_is_given(client, priced, public_line):
    market, _, _ = priced
    assert seen(client, public_line) == SHOWN
    restriction = PageViewRestriction.objects.create(
        page=market, restriction_type=PageViewRestriction.PASSWORD, password="sesame-2026"
    )
    assert seen(client, public_line) == HIDDEN
    assert "Multi-éditeurs" not in client.get("/prix/").content.decode()
    client.post(
        f"/_util/authenticate_with_password/{restriction.pk}/{market.pk}/",
        {"password": "sesame-2026", "return_url": market.url},
    )
    assert seen(client, public_line) == SHOWN


def test_a_login_restriction_hides_the_lines_from_visitors_only(client, priced, public_line, member):
    market, _, _ = priced
    PageViewRestriction.objects.create(page=market, restriction_type=PageViewRestriction.LOGIN)
    assert seen(client, public_line) == HIDDEN
    client.force_login(member)
    assert seen(client, public_line)["line"] == 200


def test_a_group_restriction_shows_the_lines_to_the_group_only(client, priced, public_line, member):
    market, _, _ = priced
    group = Group.objects.create(name="DSI partenaires")
    PageViewRestriction.objects.create(page=market, restriction_type=PageViewRestriction.GROUPS).groups.add(group)
    client.force_login(member)
    assert seen(client, public_line) == HIDDEN
    member.groups.add(group)
    assert seen(client, public_line)["line"] == 200


def test_a_restriction_on_the_catalogue_hides_every_market_below_it(client, priced, public_line, market_index):
    PageViewRestriction.objects.create(page=market_index, restriction_type=PageViewRestriction.LOGIN)
    assert seen(client, public_line) == HIDDEN


@pytest.mark.parametrize("value", ["²", "-1", "0", "1e3", "١٢"])
def test_line_ids_that_cannot_be_ids_are_dropped(client, priced, public_line, value):
    for url in ("/prix/comparer/", "/prix/export.xlsx"):
        response = client.get(url, {"ligne": [value, public_line.pk]})
        assert response.status_code == 200
    assert client.get("/prix/comparer/", {"ligne": [value, public_line.pk]}).context["lines"] == [public_line]


@pytest.mark.parametrize("value", ["9" * 5000, "9" * 19])
def test_line_ids_past_64_bits_are_refused_at_the_door(client, priced, public_line, value):
    # core.middleware: a bare integer no database column holds is a 400, before any view.
    for url in ("/prix/comparer/", "/prix/export.xlsx"):
        assert client.get(url, {"ligne": [value, public_line.pk]}).status_code == 400
