"""What Wagtail's indexing signals miss for the engine: a move changes the paths of a whole
subtree, and a privacy restriction added or removed changes which pages it may hold."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page, PageViewRestriction
from wagtail.search import index
from wagtail.signals import post_page_move


def reindex_subtree(page):
    """Index `page` and its descendants again in every backend (the engine drops those now
    private or unpublished: search.backends)."""
    for descendant in Page.objects.descendant_of(page, inclusive=True).specific():
        index.insert_or_update_object(descendant)


@receiver(post_page_move)
def reindex_moved(sender, instance, **kwargs):
    reindex_subtree(instance)


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def reindex_restricted(sender, instance, **kwargs):
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is not None:
        reindex_subtree(page)
