import pytest

from billing.models import EstablishmentSize
from tests.factories.billing import fee_schedule
from tests.factories.markets import MarketPageFactory


@pytest.fixture
def schedule(db):
    return fee_schedule(2026)


@pytest.fixture
def markets(market_index):
    return [MarketPageFactory(parent=market_index, title=f"Marché {n}") for n in range(1, 5)]


@pytest.fixture
def commune(establishment):
    """COMMUNE DE NYONS, 2 960 inhabitants: the 350 € band."""
    EstablishmentSize.objects.create(establishment=establishment, population=2960)
    return establishment


@pytest.fixture
def site(home_page):
    from wagtail.models import Site

    return Site.objects.get(is_default_site=True)


@pytest.fixture
def bank(site):
    """The seller's bank account in the billing settings."""
    from billing.models import BillingSettings

    settings = BillingSettings.for_site(site)
    settings.iban = "FR7630006000011234567890189"
    settings.bic = "AGRIFRPP"
    settings.account_holder = "CANUT — Agence comptable"
    settings.save()
    return settings
