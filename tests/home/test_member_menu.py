"""The header on every page: the member menu, the "Menu" button, the login link and landing."""

import re

import pytest
from django.urls import reverse

from tests.factories.members import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

MEMBER_MENU = [
    ("Mon tableau de bord", "subscriptions:dashboard"),
    ("Mes marchés", "subscriptions:my_markets"),
    ("Mes établissements", "members:establishments"),
    ("Mes groupements", "groupements:list"),
    ("Mes factures", "billing:invoices"),
    ("Mes simulations", "simulations:list"),
    ("Mes alertes", "alerts:list"),
    ("Aide et contact", "assistance:list"),
    ("Mon compte", "members:account"),
]


def member_menu(html):
    match = re.search(r'<nav class="member-menu" id="member-menu" aria-label="Menu de mon compte".*?</nav>', html, re.S)
    return match.group(0) if match else ""


@pytest.mark.parametrize(
    "url",
    [
        lambda market_index: "/",
        lambda market_index: market_index.url,
        lambda market_index: reverse("subscriptions:dashboard"),
        lambda market_index: reverse("subscriptions:my_markets"),
        lambda market_index: reverse("members:establishments"),
        lambda market_index: reverse("groupements:list"),
        lambda market_index: reverse("members:account"),
        lambda market_index: reverse("assistance:list"),
    ],
)
def test_a_member_has_the_guide_menu_on_every_page(member_client, member, market_index, url):
    html = member_client.get(url(market_index), follow=True).content.decode()
    menu = member_menu(html)
    links = re.findall(r'<a href="([^"]+)">([^<]+)</a>', menu)
    assert links == [(reverse(name), label) for label, name in MEMBER_MENU]
    assert f'action="{reverse("members:logout")}"' in menu and ">Se déconnecter</button>" in menu
    assert member.email in menu
    # The account button opens it; site.js unhides the button, so without JavaScript
    # the links show as a plain list.
    toggle = r'<button type="button" class="account__toggle" aria-expanded="false" aria-controls="member-menu"'
    assert re.search(toggle + r"[^>]* hidden>", html)


def test_the_menu_button_and_its_script(client, home_page):
    html = client.get("/").content.decode()
    assert '<button type="button" class="menu-toggle" aria-expanded="false" aria-controls="site-menu"' in html
    assert 'id="site-menu"' in html
    assert re.search(r'<script src="[^"]*js/site\.js"></script>', html)
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "no inline script (CSP)"
    assert " onclick=" not in html and ' style="' not in html


def test_a_visitor_has_no_member_menu_and_logs_in_back_to_the_page(client, market_index):
    html = client.get(market_index.url).content.decode()
    assert member_menu(html) == ""
    assert f'href="{reverse("members:login")}?next={market_index.url}">Se connecter</a>' in html
    login_page = client.get(reverse("members:login")).content.decode()
    assert f'href="{reverse("members:login")}">Se connecter</a>' in login_page  # no next to itself


def test_the_account_tabs_include_my_markets(member_client):
    html = member_client.get(reverse("subscriptions:my_markets")).content.decode()
    tabs = re.search(r'<nav class="member-nav".*?</nav>', html, re.S).group(0)
    assert re.findall(r">([^<>]+)</a>", tabs) == [
        "Mes marchés",
        "Mes établissements",
        "Mes groupements",
        "Mes factures",
        "Mes simulations",
        "Mes alertes",
        "Aide et contact",
        "Mon compte",
    ]
    assert f'<a href="{reverse("subscriptions:my_markets")}" aria-current="page">Mes marchés</a>' in tabs


def login(client, **extra):
    UserFactory(email="anne@nyons.fr")
    return client.post(reverse("members:login"), {"username": "anne@nyons.fr", "password": PASSWORD, **extra})


def test_login_lands_on_the_dashboard(client):
    assert login(client).url == reverse("subscriptions:dashboard")


def test_login_goes_to_a_safe_next(client):
    assert login(client, next="/compte/etablissements/").url == "/compte/etablissements/"


@pytest.mark.parametrize("unsafe", ["https://ailleurs.example/", "//ailleurs.example/compte/"])
def test_login_ignores_a_next_on_another_site(client, unsafe):
    assert login(client, next=unsafe).url == reverse("subscriptions:dashboard")


def test_an_account_that_is_not_a_validated_member_is_not_offered_the_markets(client):
    # Only staff accounts log in without being validated members (members.backends).
    client.force_login(UserFactory(status="pending", is_staff=True))
    menu = member_menu(client.get(reverse("members:account")).content.decode())
    assert "Mon compte" in menu and "Se déconnecter" in menu
    assert "Mes marchés" not in menu and "Mes groupements" not in menu
