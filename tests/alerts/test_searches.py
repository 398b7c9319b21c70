"""Saving a search from the catalogue pages, and "Mes alertes"."""

import pytest
from django.urls import reverse
from django.utils import timezone

from alerts.models import Frequency, SavedSearch
from tests.factories.markets import MarketPageFactory


def test_a_member_saves_the_catalogue_search_from_the_page(member_client, market_index):
    MarketPageFactory(parent=market_index, title="Licences")
    page = member_client.get(market_index.url + "?q=licences&titulaire=scc&page=2")
    assert "Enregistrer cette recherche" in page.text and 'name="criteria"' in page.text
    response = member_client.post(
        reverse("alerts:create"),
        {
            "name": "Licences SCC",
            "frequency": Frequency.WEEKLY,
            "source": "marches",
            "criteria": "q=licences&titulaire=scc&page=2&inconnu=1",
            "retour": market_index.url + "?q=licences",
        },
        follow=True,
    )
    assert "Recherche « Licences SCC » enregistrée" in response.text
    search = SavedSearch.objects.get()
    assert search.params == {"q": ["licences"], "statut": ["en-cours"], "titulaire": ["scc"]}
    assert search.frequency == Frequency.WEEKLY


def test_the_prices_page_offers_it_too(member_client):
    page = member_client.get(reverse("prices:list") + "?q=ecran")
    assert "Enregistrer cette recherche" in page.text and 'value="prix"' in page.text


def test_visitors_see_no_save_button_and_cannot_post(client, market_index):
    assert "Enregistrer cette recherche" not in client.get(market_index.url).text
    response = client.post(reverse("alerts:create"), {"name": "x", "frequency": "aucune", "source": "marches"})
    assert response.status_code == 302 and "/connexion/" in response.url
    assert not SavedSearch.objects.exists()


def test_the_limit_per_account_is_told_clearly(member_client, member, settings):
    settings.ALERTS_MAX_SAVED_SEARCHES = 2
    for n in range(3):
        response = member_client.post(
            reverse("alerts:create"),
            {"name": f"R{n}", "frequency": "aucune", "source": "prix", "criteria": "q=ecran"},
            follow=True,
        )
    assert "Vous avez déjà 2 recherches enregistrées, le maximum" in response.text
    assert SavedSearch.objects.filter(user=member).count() == 2


@pytest.mark.parametrize("name", ["", "a\x00b", "ligne\ncassée", "x" * 5000], ids=["vide", "nul", "ligne", "long"])
def test_bad_names_get_a_french_message_not_an_error(member_client, name):
    response = member_client.post(
        reverse("alerts:create"), {"name": name, "frequency": "aucune", "source": "marches"}, follow=True
    )
    if "\x00" in name:  # refused before any view, for the whole site (core.middleware)
        assert response.status_code == 400
    else:
        assert response.status_code == 200 and "Recherche non enregistrée" in response.text
    assert not SavedSearch.objects.exists()


def test_mes_alertes_renames_pauses_and_deletes_only_ones_own(member_client, member, outsider):
    mine = SavedSearch.objects.create(
        user=member, name="Écrans", source="prix", params={}, checked_until=timezone.now()
    )
    theirs = SavedSearch.objects.create(
        user=outsider, name="Autre", source="prix", params={}, checked_until=timezone.now()
    )
    page = member_client.get(reverse("alerts:list"))
    assert "Écrans" in page.text and "Autre" not in page.text
    prefix = f"s{mine.pk}"
    member_client.post(
        reverse("alerts:update", args=[mine.pk]),
        {f"{prefix}-name": "Moniteurs", f"{prefix}-frequency": Frequency.DAILY, f"{prefix}-paused": "on"},
    )
    mine.refresh_from_db()
    assert (mine.name, mine.frequency, mine.paused) == ("Moniteurs", Frequency.DAILY, True)
    assert member_client.post(reverse("alerts:update", args=[theirs.pk]), {}).status_code == 404
    assert member_client.post(reverse("alerts:delete", args=[theirs.pk])).status_code == 404
    member_client.post(reverse("alerts:delete", args=[mine.pk]))
    assert list(SavedSearch.objects.all()) == [theirs]


def test_the_account_menu_and_member_tabs_lead_to_mes_alertes(member_client):
    page = member_client.get(reverse("members:account"))
    assert f'href="{reverse("alerts:list")}"' in page.text
