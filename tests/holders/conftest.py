import datetime

import pytest

from holders.campaigns import campaign_open
from holders.models import Report
from tests.factories.billing import finalized_subscription
from tests.factories.holders import holder_account
from tests.factories.markets import HolderFactory, MarketPageFactory, holder_entry, lot
from tests.factories.members import EstablishmentFactory

LOT_1 = "Lot n°1 – Téléphonie fixe"
LOT_2 = "Lot n°2 – Téléphonie mobile"


@pytest.fixture
def holder(db):
    return HolderFactory(name="TELECOM SUD", siren="552081317")


@pytest.fixture
def other_holder(db):
    return HolderFactory(name="RESEAUX NORD", siren="732829320")


@pytest.fixture
def market(market_index, holder, other_holder):
    return MarketPageFactory(
        parent=market_index,
        title="Téléphonie",
        notified_on=datetime.date(2024, 1, 1),
        ends_on=datetime.date(2030, 1, 1),
        holders=[],
        lots=[
            lot(1, "Téléphonie fixe", holder_entry(holder)),
            lot(2, "Téléphonie mobile", holder_entry(holder), holder_entry(other_holder)),
        ],
    )


@pytest.fixture
def subscribed(market, establishment):
    finalized_subscription(market=market, establishment=establishment, finalized_on=datetime.date(2025, 1, 10))
    return establishment


@pytest.fixture
def holder_user(holder):
    return holder_account(holder, first_name="Hugo", last_name="Titulaire")


@pytest.fixture
def other_holder_user(other_holder):
    return holder_account(other_holder, email="contact@reseaux-nord.fr")


@pytest.fixture
def campaign(market):
    return campaign_open(year=2025, half=1)


@pytest.fixture
def report(campaign, market, holder):
    return Report.objects.get(campaign=campaign, market=market, holder=holder)


@pytest.fixture
def holder_client(client, holder_user):
    client.force_login(holder_user)
    return client


@pytest.fixture
def stranger_establishment(db):
    return EstablishmentFactory(name="HOPITAL DE CARPENTRAS", postcode="84200")
