import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from subscriptions.models import Subscription, SubscriptionStatus
from tests.factories.markets import MarketPageFactory
from tests.factories.subscriptions import SubscriptionFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2024, 2, 22)


@pytest.mark.parametrize(
    ("fields", "status", "label"),
    [
        ({}, SubscriptionStatus.SENT, "Souscription en cours"),
        ({"received_on": TODAY}, SubscriptionStatus.RECEIVED, "Souscription en cours"),
        (
            {"received_on": TODAY, "finalized_on": TODAY, "countersigned_convention": "conventions/x.pdf"},
            SubscriptionStatus.FINALIZED,
            "Souscription finalisée",
        ),
        (
            {"received_on": TODAY, "cancelled_on": TODAY, "cancel_reason": "Doublon"},
            SubscriptionStatus.CANCELLED,
            "Souscription annulée",
        ),
    ],
)
def test_status_is_derived_the_same_way_in_python_and_sql(market_index, fields, status, label):
    subscription = SubscriptionFactory(market=MarketPageFactory(parent=market_index), sent_on=TODAY, **fields)
    assert subscription.status == status
    assert subscription.summary_label == label
    assert Subscription.objects.with_status().get(pk=subscription.pk).status_value == status
    assert list(Subscription.objects.with_status_in([status])) == [subscription]
    others = set(SubscriptionStatus.values) - {status}
    assert not Subscription.objects.with_status_in(others).exists()


def test_steps_explain_the_current_one(market_index):
    subscription = SubscriptionFactory(market=MarketPageFactory(parent=market_index), sent_on=TODAY, received_on=TODAY)
    steps = subscription.steps()
    assert [s["label"] for s in steps] == ["Convention envoyée", "Convention reçue", "Convention finalisée"]
    assert [s["done"] for s in steps] == [True, True, False]
    assert [s["current"] for s in steps] == [False, True, False]
    assert "contresignature CANUT est en cours" in steps[1]["help"]


@pytest.mark.parametrize(
    "fields",
    [
        {"finalized_on": TODAY, "received_on": TODAY},  # no countersigned file
        {"finalized_on": TODAY, "countersigned_convention": "conventions/x.pdf"},  # never received
        {"cancelled_on": TODAY},  # no reason
    ],
)
def test_database_refuses_inconsistent_dates_and_files(market_index, fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        SubscriptionFactory(market=MarketPageFactory(parent=market_index), **fields)


def test_one_live_subscription_per_market_and_establishment(market_index):
    market = MarketPageFactory(parent=market_index)
    first = SubscriptionFactory(market=market, cancelled_on=timezone.localdate(), cancel_reason="Erreur")
    SubscriptionFactory(market=market, establishment=first.establishment)  # the cancelled one does not count
    with pytest.raises(IntegrityError), transaction.atomic():
        SubscriptionFactory(market=market, establishment=first.establishment)
