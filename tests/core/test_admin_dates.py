"""Staff pages print one date format, in Paris time, and nothing for what is empty; the
admin home counts the subscriptions waiting for staff like the other queues."""

import datetime
import re

import pytest
from django.urls import reverse

from core.dates import display_value
from groupements.models import Groupement
from members.models import User
from tests.factories.groupements import GroupementFactory
from tests.factories.markets import MarketPageFactory
from tests.factories.members import UserFactory
from tests.factories.subscriptions import SubscriptionFactory

pytestmark = pytest.mark.django_db

# 23:30 UTC in January is 00:30 the next day in Paris (UTC+1); in July, UTC+2.
WINTER_NIGHT = datetime.datetime(2026, 1, 15, 23, 30, tzinfo=datetime.UTC)


def test_display_value_is_paris_time_day_first():
    assert display_value(WINTER_NIGHT) == "16/01/2026 00:30"
    assert display_value(datetime.datetime(2026, 7, 1, 10, 0, tzinfo=datetime.UTC)) == "01/07/2026 12:00"
    assert display_value(datetime.date(2026, 3, 9)) == "09/03/2026"
    assert display_value(None) == ""
    assert display_value("texte") == "texte"


def fields(html):
    """The <dt>/<dd> pairs of the admin page, tags stripped."""
    pairs = re.findall(r"<dt>(.*?)</dt>\s*<dd>(.*?)</dd>", html, re.S)
    return {re.sub(r"<[^>]+>|\s+", " ", dt).strip(): re.sub(r"<[^>]+>|\s+", " ", dd).strip() for dt, dd in pairs}


def test_a_pending_account_inspected_and_decided_in_paris_time(staff_client):
    user = UserFactory(status=User.Status.PENDING, function="")
    User.objects.filter(pk=user.pk).update(date_joined=WINTER_NIGHT)
    inspect = staff_client.get(reverse("accounts_admin:inspect", args=[user.pk])).content.decode()
    shown = fields(inspect)
    assert "16/01/2026 00:30" in shown.values()
    assert not any("None" in value for value in shown.values()) and "15/01/2026" not in inspect
    assert not any(label.lower().startswith("décid") for label in shown), "nothing printed for an undecided account"
    assert "Fonction" not in shown  # empty

    decide = staff_client.get(reverse("accounts_admin:decide", args=[user.pk])).content.decode()
    assert fields(decide)["Inscrit le"] == "16/01/2026 00:30"
    assert "Fonction" not in fields(decide) and not any("None" in value for value in fields(decide).values())


def test_a_decided_account_shows_when_in_paris_time(staff_client, staff):
    user = UserFactory(status=User.Status.ACTIVE)
    User.objects.filter(pk=user.pk).update(decided_at=WINTER_NIGHT, decided_by=staff)
    shown = fields(staff_client.get(reverse("accounts_admin:inspect", args=[user.pk])).content.decode())
    decided = [value for label, value in shown.items() if label.lower().startswith("décid")]
    assert "16/01/2026 00:30" in decided


def test_a_groupement_decision_page_in_paris_time(staff_client):
    groupement = GroupementFactory(status=Groupement.Status.PENDING)
    Groupement.objects.filter(pk=groupement.pk).update(created_at=WINTER_NIGHT)
    decide = staff_client.get(reverse("groupements_admin:decide", args=[groupement.pk])).content.decode()
    assert fields(decide)["Déposé le"] == "16/01/2026 00:30"
    assert "Accord-cadre souhaité" not in fields(decide)  # no market chosen: nothing printed
    inspect = staff_client.get(reverse("groupements_admin:inspect", args=[groupement.pk])).content.decode()
    assert "16/01/2026 00:30" in fields(inspect).values()
    assert not any("None" in value for value in fields(inspect).values())


def test_a_subscription_inspected_prints_dates_once_and_no_empty_step(staff_client, market_index):
    subscription = SubscriptionFactory(
        market=MarketPageFactory(parent=market_index, title="Multi-éditeurs"), sent_on=datetime.date(2026, 3, 2)
    )
    html = staff_client.get(reverse("subscriptions_admin:inspect", args=[subscription.pk])).content.decode()
    shown = fields(html)
    assert "02/03/2026" in shown.values()
    assert not any(value in ("None", "—", "") for value in shown.values())
    assert not any("finalisée" in label.lower() or "annulée" in label.lower() for label in shown)


def test_the_admin_home_counts_conventions_waiting_for_staff(staff_client, market_index):
    market = MarketPageFactory(parent=market_index, title="Multi-éditeurs")
    SubscriptionFactory(market=market, received_on=datetime.date(2026, 3, 5))
    SubscriptionFactory(market=market)  # sent: the member has the next step, not staff
    page = staff_client.get(reverse("wagtailadmin_home")).content.decode()
    url = reverse("subscriptions_admin:index") + "?status=received"
    assert (
        f'<a href="{url}"><strong class="review-queues__count">1</strong> Conventions reçues à contresigner</a>' in page
    )


def test_the_subscriptions_listing_gives_the_market_room(staff_client, market_index):
    market = MarketPageFactory(parent=market_index, title="Logiciels d'occasion")
    SubscriptionFactory(market=market, sent_on=datetime.date(2026, 2, 27), received_on=datetime.date(2026, 3, 5))
    html = staff_client.get(reverse("subscriptions_admin:index")).content.decode()
    assert "Convention reçue le 05/03/2026" in html and "27/02/2026" in html
    assert "février" not in html and "mars 2026" not in html  # one format in the table
    assert re.search(r'<th[^>]*class="[^"]*listing-title-wide', html)
    head = re.search(r'<table class="listing.*?</thead>', html, re.S).group(0)
    assert len(re.findall(r"<th[ >]", head)) <= 7  # was 10: four date columns squeezed the market
