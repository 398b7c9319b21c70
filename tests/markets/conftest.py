"""The catalogue's markets, shared by the tests of 'Tous les marchés' (test_catalogue_*.py)."""

import datetime

import pytest

from tests.factories.markets import HolderFactory, MarketPageFactory, ThemeFactory, holder_entry
from tests.markets.catalogue_helpers import TODAY


@pytest.fixture
def catalogue(market_index):
    """Four current markets, one ended, one upcoming, one draft; holders and themes as in the seed."""
    scc, esi, econocom = (HolderFactory(name=n) for n in ("SCC", "E.S.I.", "ECONOCOM"))
    logiciel = ThemeFactory(name="Logiciel")
    travail = ThemeFactory(name="Environnement de travail", parent=logiciel)
    gestion = ThemeFactory(name="Logiciel de gestion", parent=logiciel)
    materiels = ThemeFactory(name="Matériels")
    securite = ThemeFactory(name="Sécurité")

    def market(title, holders, themes, **kwargs):
        page = MarketPageFactory(
            parent=market_index,
            title=title,
            holders=[("holder", holder_entry(h)) for h in holders],
            **kwargs,
        )
        page.themes.set(themes)
        page.save_revision().publish()
        return page

    return {
        "multi": market("Multi-éditeurs", [scc], [travail, gestion], summary="Logiciels de nombreux éditeurs."),
        "microsoft": market("Microsoft et alternatives", [scc, esi], [travail]),
        "materiels": market(
            "Matériels bureautiques neufs", [econocom], [materiels], summary="Fixes, portables, écrans."
        ),
        "securite": market("Cybersécurité", [esi], [securite], summary="Solutions de sécurité des systèmes."),
        "ended": market(
            "Ancien marché de logiciels",
            [scc],
            [gestion],
            notified_on=TODAY - datetime.timedelta(days=2000),
            ends_on=TODAY - datetime.timedelta(days=1),
        ),
        "upcoming": market(
            "Futur marché réseaux",
            [econocom],
            [materiels],
            notified_on=TODAY + datetime.timedelta(days=10),
            ends_on=TODAY + datetime.timedelta(days=1500),
        ),
        "draft": MarketPageFactory(parent=market_index, title="Brouillon de logiciels", live=False),
        "holders": {"scc": scc, "esi": esi, "econocom": econocom},
        "themes": {"logiciel": logiciel, "travail": travail, "materiels": materiels, "securite": securite},
    }
