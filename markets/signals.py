"""Empty the cached facet labels (markets.catalogue.facet_labels) when a holder or theme changes."""

from django.db.models.signals import post_delete, post_save


def forget_facet_labels(**kwargs):
    from .catalogue import forget_facet_labels as forget

    forget()


def connect():
    from .models import Holder, Theme

    for model in (Holder, Theme):
        post_save.connect(forget_facet_labels, sender=model, dispatch_uid=f"markets-labels-save-{model.__name__}")
        post_delete.connect(forget_facet_labels, sender=model, dispatch_uid=f"markets-labels-delete-{model.__name__}")
