"""Publishing a market records what it brings (alerts.events) and, once committed, queues
the subscribers' email about its new pieces for the task worker."""

from django.db import transaction
from wagtail.signals import page_published


def market_published(sender, instance, **kwargs):
    from .events import market_published as record
    from .tasks import pieces_notify

    pieces = record(instance)
    if pieces:
        ids = [event.pk for event in pieces]
        transaction.on_commit(lambda: pieces_notify.enqueue(event_ids=ids))


def connect():
    from markets.models import MarketPage

    page_published.connect(market_published, sender=MarketPage, dispatch_uid="alerts-market-published")
