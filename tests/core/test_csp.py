"""The Content-Security-Policy header: the site's own files only; inline code only in the admin."""

import pytest

from tests.factories.markets import MarketPageFactory


def policy(response):
    return dict((directive.split(" ", 1) + [""])[:2] for directive in response["Content-Security-Policy"].split("; "))


@pytest.mark.parametrize("url", ["/", "/marches/", "/compte/connexion/", "/compte/inscription/", "/assistance/"])
def test_public_pages_allow_only_the_sites_own_scripts_and_styles(client, market_index, url):
    directives = policy(client.get(url))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["default-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'self'"
    assert "unsafe" not in client.get(url)["Content-Security-Policy"]


def test_member_pages_and_error_pages_carry_it_too(member_client, establishment, market_index):
    market = MarketPageFactory(parent=market_index)
    for url in ("/compte/tableau-de-bord/", market.url, "/n-existe-pas/"):
        assert policy(member_client.get(url))["script-src"] == "'self'", url


def test_the_admin_alone_allows_inline_code(staff_client, home_page):
    directives = policy(staff_client.get("/admin/"))
    assert directives["script-src"] == "'self' 'unsafe-inline'"
    assert directives["style-src"] == "'self' 'unsafe-inline'"
    assert directives["frame-ancestors"] == "'self'"
