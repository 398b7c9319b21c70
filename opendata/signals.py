"""A published market gets its (empty) essential data rows, one per lot, so the admin lists
what it lacks."""

from django.dispatch import receiver
from wagtail.signals import page_published

from markets.models import MarketPage

from .services import essential_data_ensure


@receiver(page_published, sender=MarketPage)
def ensure_essential_data(sender, instance, **kwargs):
    essential_data_ensure(market=instance.specific)
