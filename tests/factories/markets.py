import datetime
from contextlib import contextmanager

import factory
import wagtail_factories
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import override_settings

from markets.models import Holder, MarketDocument, MarketIndexPage, MarketPage, Theme


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme

    name = factory.Sequence(lambda n: f"Thème {n}")


class HolderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Holder

    name = factory.Sequence(lambda n: f"TITULAIRE {n}")
    siren = "552081317"


class MarketDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MarketDocument

    title = factory.Sequence(lambda n: f"Pièce {n}")
    file = factory.LazyAttribute(lambda o: ContentFile(b"%PDF-1.4 test", name=f"{o.title}.pdf"))


class MarketIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = MarketIndexPage

    title = "Tous les marchés"
    slug = "marches"


def holder_entry(holder, *, window="", name="Jeanne Martin", email="jeanne.martin@example.fr", phone="01 73 04 37 59"):
    """The value of a HolderContactBlock."""
    return {
        "holder": holder,
        "ordering_window": window,
        "contact_name": name,
        "contact_email": email,
        "contact_phone": phone,
    }


def lot(number, title, *entries, ends_on=None):
    return ("lot", {"number": number, "title": title, "ends_on": ends_on, "holders": list(entries)})


def piece(document, kind, audience, holder=None, title=""):
    return (
        "document",
        {"document": document, "title": title, "kind": kind, "audience": audience, "holder": holder},
    )


class MarketPageFactory(wagtail_factories.PageFactory):
    """A live market; pass lots, holders and documents as lists of (block type, value)."""

    class Meta:
        model = MarketPage

    title = factory.Sequence(lambda n: f"Marché {n}")
    subtitle = "Accord-cadre à bons de commande"
    summary = "Fourniture de licences et prestations associées."
    notified_on = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=100))
    ends_on = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=1000))
    holders = factory.LazyFunction(lambda: [("holder", holder_entry(HolderFactory()))])


@contextmanager
def indexing_deferred():
    """Create many pages at once: index them in one pass at the end, not at every save.

    PostgreSQL's database backend rescans its index table on each write, which makes
    hundreds of saves inside one test transaction quadratic.
    """
    backends = {name: {**params, "AUTO_UPDATE": False} for name, params in settings.WAGTAILSEARCH_BACKENDS.items()}
    with override_settings(WAGTAILSEARCH_BACKENDS=backends):
        yield
    call_command("update_index", verbosity=0)
