"""The search engine's copy of the price lines follows their sources (prices.engine), and
the catalogue's stamp is renewed: a market page's cached body shows its number of lines.

A source is saved each time an import is applied (services.apply_lines), after its lines
are written, and deleted with its market or piece. Audiences, subscriptions and
publication need nothing here: the engine is filtered at query time by the sources the
reader may read.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from markets.models import CatalogueStamp

from . import engine
from .models import PriceSource


@receiver(post_save, sender=PriceSource, dispatch_uid="prices_engine_source_saved")
def source_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        engine.source_changed(instance.pk)
        CatalogueStamp.renew()


@receiver(post_delete, sender=PriceSource, dispatch_uid="prices_engine_source_deleted")
def source_deleted(sender, instance, **kwargs):
    engine.source_changed(instance.pk, deleted=True)
    CatalogueStamp.renew()
