import pytest

from markets.access import Audience
from tests.factories.markets import HolderFactory, MarketDocumentFactory, MarketPageFactory, holder_entry, lot, piece
from tests.factories.subscriptions import blank_convention_document


@pytest.fixture
def holders(db):
    return HolderFactory(name="SOFTCORNER"), HolderFactory(name="PREO SOFTWARE")


@pytest.fixture
def pieces(db):
    """One document per audience, plus the blank convention (subscribers only)."""
    return {
        "summary": MarketDocumentFactory(title="Fiche marché"),
        "bpu": MarketDocumentFactory(title="BPU"),
        "ccap": MarketDocumentFactory(title="CCAP"),
        "dce": MarketDocumentFactory(title="DCE"),
        "offer": MarketDocumentFactory(title="Offre SOFTCORNER"),
        "convention": blank_convention_document(),
    }


@pytest.fixture
def market(market_index, holders, pieces):
    softcorner, preo = holders
    return MarketPageFactory(
        parent=market_index,
        title="Logiciels d'occasion",
        subtitle="Accord-cadre multi attributaire à bons de commande",
        lots=[
            lot(
                None,
                "Lot unique",
                holder_entry(
                    softcorner,
                    window="Commandes du 1er au 15 du mois",
                    name="Habibou M'BAYE",
                    email="hmbaye@softcorner.fr",
                    phone="09 80 80 85 82",
                ),
                holder_entry(
                    preo,
                    window="Commandes du 16 au dernier jour du mois",
                    name="Youssef BOUCHAKOR",
                    email="y.bouchakor@preo-ag.com",
                    phone="01 73 04 37 59",
                ),
            )
        ],
        holders=[],
        documents=[
            piece(pieces["summary"], "summary", Audience.PUBLIC),
            piece(pieces["bpu"], "bpu", Audience.MEMBERS),
            piece(pieces["ccap"], "ccap", Audience.SUBSCRIBERS),
            piece(pieces["dce"], "dce", Audience.SUBSCRIBERS),
            piece(pieces["offer"], "offer", Audience.SUBSCRIBERS, holder=softcorner),
            piece(pieces["convention"], "convention", Audience.SUBSCRIBERS),
        ],
    )


@pytest.fixture
def restricted(pieces):
    return [pieces[key] for key in ("ccap", "dce", "offer", "convention")]
