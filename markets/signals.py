"""Keep the catalogue's caches true: the facet labels when a holder or theme changes, the
cached results (a new `CatalogueStamp`) when anything they show does.

A MarketPage renews the stamp at the end of its own save (`MarketPage.save`): its
post_save comes before its themes and derived rows are written.
"""

from django.db.models.signals import post_delete, post_save
from wagtail.signals import post_page_move


def catalogue_changed(**kwargs):
    from .models import CatalogueStamp

    CatalogueStamp.renew()


def labels_changed(**kwargs):
    from .catalogue import forget_facet_labels

    forget_facet_labels()
    catalogue_changed()


def connect():
    from .models import Holder, MarketDocument, MarketPage, Theme

    receivers = {
        Holder: labels_changed,
        Theme: labels_changed,
        MarketDocument: catalogue_changed,  # the file names in the cards' links
    }
    for model, receiver in receivers.items():
        for name, signal in (("save", post_save), ("delete", post_delete)):
            signal.connect(receiver, sender=model, dispatch_uid=f"markets-catalogue-{name}-{model.__name__}")
    post_delete.connect(catalogue_changed, sender=MarketPage, dispatch_uid="markets-catalogue-delete-MarketPage")
    # Moves rewrite tree paths in bulk, with no save: a market may leave the index.
    post_page_move.connect(catalogue_changed, dispatch_uid="markets-catalogue-moved")
