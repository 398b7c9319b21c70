"""The FAQ page indexes its entries' text: an edited entry or subject reindexes it."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.search import index

from .models import FaqEntry, FaqPage, Subject


@receiver(post_save, sender=FaqEntry)
@receiver(post_delete, sender=FaqEntry)
@receiver(post_save, sender=Subject)
@receiver(post_delete, sender=Subject)
def reindex_faq_page(sender, **kwargs):
    for page in FaqPage.objects.live():
        index.insert_or_update_object(page)
