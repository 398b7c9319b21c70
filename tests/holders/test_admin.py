"""Staff listings of the holders' side: constant query counts, and the campaign opened."""

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from holders.campaigns import campaign_open
from holders.models import Campaign, Report
from tests.factories.holders import holder_account
from tests.factories.markets import HolderFactory, MarketPageFactory, holder_entry


def _count(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _more(market_index, n):
    for index in range(n):
        holder = HolderFactory()
        holder_account(holder, email=f"contact{index}-{holder.pk}@titulaire.fr")
        MarketPageFactory(
            parent=market_index, notified_on=datetime.date(2024, 1, 1), holders=[("holder", holder_entry(holder))]
        )


@pytest.mark.parametrize("name", ["holder_reports:index", "holder_contacts:index", "holder_campaigns:index"])
def test_listings_run_a_constant_number_of_queries(staff_client, market_index, name):
    _more(market_index, 1)
    campaign_open(year=2025, half=1, opened_by=None)
    Report.objects.update(status=Report.Status.PENDING)
    first = _count(staff_client, reverse(name))
    _more(market_index, 4)
    campaign_open(year=2025, half=1)
    campaign_open(year=2024, half=2)
    Report.objects.update(status=Report.Status.PENDING)
    assert _count(staff_client, reverse(name)) == first


def test_staff_open_a_campaign_with_the_default_deadline(
    staff_client, market, holder, holder_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(reverse("holder_campaigns:open"), {"year": "2025", "half": "2", "deadline": ""})
    assert response.status_code == 302
    [announce] = mail.outbox  # the holder with a contact hears of it, once
    assert announce.to == [holder_user.email] and "31/01/2026" in announce.body
    campaign = Campaign.objects.get()
    assert campaign.deadline == datetime.date(2026, 1, 31)
    assert set(campaign.reports.values_list("holder__name", flat=True)) == {"TELECOM SUD", "RESEAUX NORD"}
    # Opening again adds nothing.
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(reverse("holder_campaigns:open"), {"year": "2025", "half": "2", "deadline": ""})
    assert Report.objects.count() == 2 and len(mail.outbox) == 1


def test_staff_notes_and_decision_page(staff_client, report):
    Report.objects.filter(pk=report.pk).update(status=Report.Status.PENDING)
    page = staff_client.get(reverse("holder_reports:decide", args=[report.pk])).content.decode()
    assert "Accepter le rapport" in page and "Renvoyer pour correction" in page
    response = staff_client.post(reverse("holder_reports:edit", args=[report.pk]), {"staff_notes": "Relancer en mars."})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.staff_notes == "Relancer en mars."
