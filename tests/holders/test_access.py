"""Roles on every view and download of the holder space, and holders kept out of the
member area and the admin."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from holders.models import Attachment
from tests.factories.subscriptions import pdf_bytes


@pytest.fixture
def attachment(report, holder_user):
    return Attachment.objects.create(
        report=report,
        file=ContentFile(pdf_bytes(), name="bilan.pdf"),
        name="bilan.pdf",
        size=10,
        uploaded_by=holder_user,
    )


@pytest.fixture
def urls(report, attachment):
    return [
        reverse("holders:home"),
        reverse("holders:report", args=[report.pk]),
        reverse("holders:sales_template", args=[report.pk]),
        reverse("holders:attachment", args=[report.pk, attachment.pk]),
    ]


def test_anonymous_is_sent_to_login(client, urls):
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("members:login")), url


def test_a_member_never_reaches_the_holder_space(member_client, urls, establishment):
    for url in urls:
        response = member_client.get(url)
        assert response.status_code == 403, url
        assert "réservé aux titulaires" in response.content.decode()


def test_staff_do_not_reach_the_holder_space_either(staff_client, urls):
    for url in urls:
        assert staff_client.get(url).status_code == 403, url


def test_the_holder_reaches_its_own(holder_client, urls, report):
    for url in urls:
        assert holder_client.get(url).status_code == 200, url
    assert report.market.title in holder_client.get(urls[0]).content.decode()


def test_another_holder_sees_nothing_of_it(client, other_holder_user, urls, campaign):
    client.force_login(other_holder_user)
    home = client.get(urls[0])
    assert home.status_code == 200
    assert "TELECOM SUD" not in home.content.decode()
    for url in urls[1:]:
        assert client.get(url).status_code == 404, url


def test_a_revoked_contact_is_out(holder_client, holder_user, urls, staff):
    from holders.invitations import contact_revoke

    contact_revoke(contact=holder_user.holder_contact, revoked_by=staff)
    response = holder_client.get(urls[0])
    assert response.status_code == 302  # the session's account is inactive: logged out


@pytest.mark.parametrize(
    "name",
    [
        "subscriptions:dashboard",
        "subscriptions:my_markets",
        "members:account",
        "members:account_edit",
        "members:establishments",
        "groupements:list",
        "billing:invoices",
    ],
)
def test_a_holder_never_reaches_the_member_area(holder_client, name):
    response = holder_client.get(reverse(name))
    assert response.status_code == 302 and response["Location"] == reverse("holders:home")


def test_a_holder_never_reaches_the_admin(holder_client):
    response = holder_client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_a_holder_logs_in_on_the_members_page_and_lands_in_its_space(client, holder_user):
    holder_user.set_password("un mot de passe solide 42")
    holder_user.save()
    response = client.post(
        reverse("members:login"), {"username": holder_user.email, "password": "un mot de passe solide 42"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("holders:home")
    page = response.content.decode()
    assert "Espace titulaire" in page and "Mes marchés" not in page and "Aide et contact" in page


def test_health_check_does_not_read_the_user(client, holder_user):
    _count(client, "/sante/")  # the first request puts the site in the routing cache
    anonymous = _count(client, "/sante/")
    client.force_login(holder_user)
    assert _count(client, "/sante/") == anonymous  # neither the session nor the user is read


def test_home_query_count_does_not_grow_with_reports(holder_client, holder, market_index, django_assert_num_queries):
    from holders.campaigns import campaign_open
    from tests.factories.markets import MarketPageFactory, holder_entry

    MarketPageFactory(
        parent=market_index, notified_on=datetime.date(2024, 1, 1), holders=[("holder", holder_entry(holder))]
    )
    campaign_open(year=2025, half=1)
    holder_client.get(reverse("holders:home"))
    with django_assert_num_queries(count := _count(holder_client)):
        holder_client.get(reverse("holders:home"))
    for year in (2023, 2024):
        campaign_open(year=year, half=2)
    with django_assert_num_queries(count):
        holder_client.get(reverse("holders:home"))


def _count(client, url=None):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(url or reverse("holders:home"))
    return len(captured)


def test_a_holder_s_account_menu_has_its_space_and_help_only(holder_client, home_page):
    import re

    from tests.home.test_member_menu import member_menu

    menu = member_menu(holder_client.get("/").content.decode())
    links = re.findall(r'<a href="([^"]+)">([^<]+)</a>', menu)
    assert links == [(reverse("holders:home"), "Espace titulaire"), (reverse("assistance:list"), "Aide et contact")]
    assert ">Se déconnecter</button>" in menu
