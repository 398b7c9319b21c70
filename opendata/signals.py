"""A published market gets its (empty) essential data row, so the admin lists what it lacks."""

from django.dispatch import receiver
from wagtail.signals import page_published

from markets.models import MarketPage

from .models import MarketEssentialData


@receiver(page_published, sender=MarketPage)
def ensure_essential_data(sender, instance, **kwargs):
    MarketEssentialData.objects.get_or_create(market_id=instance.pk)
