"""Adding lines, editing a simulation, who sees what, and the limits."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from guardian.shortcuts import assign_perm, remove_perm

from markets.access import PIECES_PERMISSION, Audience
from prices.models import PriceLine
from simulations.models import MAX_LINES, MAX_SIMULATIONS, Simulation, SimulationLine
from simulations.store import SESSION_KEY
from tests.factories.members import PASSWORD, UserFactory
from tests.simulations.conftest import BPU_HEADERS, docx_text, import_rows, line

pytestmark = pytest.mark.django_db


def add(client, price_line, quantity="1", **data):
    return client.post(reverse("simulations:add", args=[price_line.pk]), {"quantity": quantity, **data})


def secret(market, audience):
    word = {Audience.MEMBERS: "Adherentonly", Audience.SUBSCRIBERS: "Zebrasecret"}[audience]
    return PriceLine.objects.get(market=market, designation=f"Produit {word}")


# A visitor ---------------------------------------------------------------------------------


def test_a_visitor_adds_a_line_with_a_french_quantity_and_sees_the_totals(client, licences):
    response = add(client, line(licences, "LIC-2"), "1 000")
    assert response["Location"] == reverse("simulations:visitor")
    page = client.get(response["Location"])
    text = page.content.decode()
    assert "Messagerie — licence annuelle" in text
    assert "12\u202f340,00\u00a0€" in text and "14\u202f808,00\u00a0€" in text  # 1 000 × 12,34 €, and with VAT
    assert "Une simulation n'engage à rien." in text
    assert "Préparer sa souscription" in text
    assert Simulation.objects.count() == 0 and SimulationLine.objects.count() == 0  # the session only


@pytest.mark.parametrize(
    ("quantity", "message"),
    [
        ("0", "La quantité doit être supérieure à zéro."),
        ("-2", "La quantité ne peut pas être négative."),
        ("99999999999", "La quantité ne peut pas dépasser 1\u202f000\u202f000."),
        ("beaucoup", "Saisissez un nombre, par exemple 3, 12,5 ou 1 000."),
        ("1\x07", "Saisissez un nombre"),
        ("12,5,5", "Saisissez un nombre"),
    ],
)
def test_a_bad_quantity_is_refused_next_to_the_field(client, licences, quantity, message):
    response = add(client, line(licences, "LIC-2"), quantity)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()
    assert SESSION_KEY not in client.session


def test_a_nul_byte_is_a_400_not_a_500(client, licences):
    assert add(client, line(licences, "LIC-2"), "1\x00").status_code == 400


def test_quantities_and_paid_prices_are_edited_on_the_page(client, licences):
    add(client, line(licences, "LIC-1"), "12,5")
    url = reverse("simulations:visitor")
    form = client.get(url).context["form"]
    [q_name] = [name for name in form.fields if name.startswith("q")]
    [p_name] = [name for name in form.fields if name.startswith("p")]
    [a_name] = [name for name in form.fields if name.startswith("a")]
    bad = client.post(url, {q_name: "12,345", p_name: "abc", a_name: "-5"})
    assert bad.status_code == 400
    text = bad.content.decode()
    assert "La quantité a au plus deux décimales" in text and "Le montant ne peut pas être négatif." in text
    assert client.post(url, {q_name: "1 000", p_name: "0,08", a_name: ""}).status_code == 302
    figures = client.get(url).context["figures"]
    [agreement] = figures.agreements
    assert agreement.lines[0].entry.quantity == Decimal("1000")
    assert (agreement.reference, agreement.gain) == (Decimal("80.00"), Decimal("30.00"))  # no fee: no establishment


def test_a_line_is_removed_from_the_page(client, licences):
    add(client, line(licences, "LIC-1"))
    add(client, line(licences, "LIC-2"))
    url = reverse("simulations:visitor")
    entry = client.get(url).context["figures"].lines[0].entry
    client.post(url, {"retirer": str(entry.pk)})
    assert len(client.get(url).context["figures"].lines) == 1


def test_a_simulation_holds_at_most_max_lines(client, market_index):
    from tests.simulations.conftest import bpu_market

    market = bpu_market(market_index, "Gros BPU", [[f"R{n}", f"Article {n}", "1"] for n in range(MAX_LINES + 1)])
    lines = list(PriceLine.objects.filter(market=market).order_by("pk"))
    session = client.session
    session[SESSION_KEY] = {"lines": [[pl.pk, "1", "1.00", None] for pl in lines[:MAX_LINES]], "quotes": {}}
    session.save()
    response = add(client, lines[-1])
    assert response.status_code == 400
    assert f"Une simulation compte au plus {MAX_LINES} lignes" in response.content.decode()


# Restricted lines ----------------------------------------------------------------------------


def test_restricted_lines_are_never_added_even_by_a_forged_post(client, member, priced):
    market, _, _ = priced
    for audience in (Audience.MEMBERS, Audience.SUBSCRIBERS):
        assert add(client, secret(market, audience)).status_code == 404  # a visitor
    client.force_login(member)
    assert add(client, secret(market, Audience.SUBSCRIBERS), simulation="nouvelle", new_name="S").status_code == 404
    assert add(client, secret(market, Audience.MEMBERS), simulation="nouvelle", new_name="S").status_code == 302
    assert SimulationLine.objects.count() == 1


def test_a_line_whose_piece_the_reader_can_no_longer_see_is_neither_shown_nor_counted(client, member, priced):
    market, _, _ = priced
    assign_perm(PIECES_PERMISSION, member, market)
    client.force_login(member)
    add(client, secret(market, Audience.SUBSCRIBERS), "2", simulation="nouvelle", new_name="Abonné")
    simulation = Simulation.objects.get()
    url = reverse("simulations:detail", args=[simulation.pk])
    assert "Produit Zebrasecret" in client.get(url).content.decode()
    remove_perm(PIECES_PERMISSION, member, market)
    response = client.get(url)
    text = response.content.decode()
    assert "Zebrasecret" not in text
    assert response.context["figures"].hidden == 1
    assert response.context["figures"].total_excl_vat == Decimal("0.00")
    note = client.get(reverse("simulations:note", args=[simulation.pk]))
    assert "Zebrasecret" not in docx_text(note.content)


# A price that changed ---------------------------------------------------------------------------


def test_a_price_changed_since_added_says_old_and_new(client, licences):
    add(client, line(licences, "LIC-2"), "10")
    document = licences.price_sources.get().document
    import_rows(
        licences,
        document,
        [
            ["LIC-1", "Suite bureautique — licence annuelle", "0,05"],
            ["LIC-2", "Messagerie — licence annuelle", "13,50"],
        ],
        applies_from=datetime.date(2026, 6, 1),
        headers=BPU_HEADERS,
    )
    response = client.get(reverse("simulations:visitor"))
    text = response.content.decode()
    assert "Prix modifié : 12,34\u00a0€ → 13,50\u00a0€" in text
    assert "1 prix a changé depuis son ajout" in text
    assert response.context["figures"].total_excl_vat == Decimal("135.00")  # at today's price


# A member's simulations ---------------------------------------------------------------------------


def test_a_member_keeps_several_named_simulations_and_deletes_one(client, member, licences, services):
    client.force_login(member)
    add(client, line(licences, "LIC-1"), "3", simulation="nouvelle", new_name="Licences 2027")
    first = Simulation.objects.get(name="Licences 2027")
    add(client, line(services, "PRE-1"), "2", simulation="nouvelle", new_name="Formations")
    add(client, line(licences, "LIC-2"), "4", simulation=str(first.pk))
    assert sorted(Simulation.objects.values_list("name", flat=True)) == ["Formations", "Licences 2027"]
    assert first.lines.count() == 2
    listing = client.get(reverse("simulations:list")).content.decode()
    assert "Licences 2027" in listing and "Formations" in listing
    same_name = add(client, line(services, "PRE-1"), simulation="nouvelle", new_name="Formations")
    assert same_name.status_code == 400 and "Vous avez déjà une simulation de ce nom." in same_name.content.decode()
    client.post(reverse("simulations:delete", args=[first.pk]))
    assert list(Simulation.objects.values_list("name", flat=True)) == ["Formations"]
    assert not SimulationLine.objects.filter(simulation_id=first.pk).exists()


def test_the_number_of_simulations_is_limited(client, member):
    Simulation.objects.bulk_create(Simulation(owner=member, name=f"S{n}") for n in range(MAX_SIMULATIONS))
    client.force_login(member)
    response = client.post(reverse("simulations:list"), {"name": "Une de plus"})
    assert response.status_code == 400
    assert f"Vous avez déjà {MAX_SIMULATIONS} simulations" in response.content.decode()


def test_another_member_s_simulation_is_not_found(client, member, outsider, licences):
    simulation = Simulation.objects.create(owner=member, name="À moi")
    client.force_login(outsider)
    for name in ("detail", "note", "lines", "delete"):
        assert client.get(reverse(f"simulations:{name}", args=[simulation.pk])).status_code == 404
    assert client.post(reverse("simulations:delete", args=[simulation.pk])).status_code == 404
    assert client.post(reverse("simulations:settings", args=[simulation.pk]), {"name": "x"}).status_code == 404
    forged = add(client, line(licences, "LIC-1"), simulation=str(simulation.pk))
    assert forged.status_code == 400 and not simulation.lines.exists()
    client.logout()
    assert client.get(reverse("simulations:detail", args=[simulation.pk])).status_code == 404


def test_settings_take_only_the_member_s_own_establishments(client, member, establishment, outsider):
    simulation = Simulation.objects.create(owner=member, name="Achat")
    foreign = outsider.establishments.get()
    client.force_login(member)
    url = reverse("simulations:settings", args=[simulation.pk])
    refused = client.post(url, {"name": "Achat", "establishment": foreign.pk, "standing": "member"})
    assert refused.status_code == 400
    client.post(url, {"name": "Achat 2027", "establishment": establishment.pk, "standing": "non_member"})
    simulation.refresh_from_db()
    assert (simulation.name, simulation.establishment, simulation.non_member) == ("Achat 2027", establishment, True)


def test_a_visitor_s_simulation_is_kept_in_the_account_they_log_into(client, licences):
    user = UserFactory(email="acheteur@nyons.fr")
    add(client, line(licences, "LIC-2"), "5")
    response = client.post(reverse("members:login"), {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302
    simulation = Simulation.objects.get(owner=user)
    assert [(sl.price_line.reference, sl.quantity) for sl in simulation.lines.all()] == [("LIC-2", Decimal("5.00"))]
    assert SESSION_KEY not in client.session


# From a market page -----------------------------------------------------------------------------


def test_lines_are_added_from_a_market_page_with_their_quantities(client, member, licences):
    market_page = client.get(licences.url).content.decode()
    url = reverse("simulations:add_market", args=[licences.pk])
    assert url in market_page
    client.force_login(member)
    form = client.get(url).context["form"]
    names = [name for name in form.fields if name.startswith("q")]
    assert len(names) == 2
    empty = client.post(url, {"simulation": "nouvelle", "new_name": "Depuis le marché"})
    assert empty.status_code == 400 and "au moins une ligne." in empty.content.decode()
    response = client.post(url, {names[0]: "3", names[1]: "12,5", "simulation": "nouvelle", "new_name": "Marché"})
    assert response.status_code == 302
    simulation = Simulation.objects.get(name="Marché")
    assert sorted(simulation.lines.values_list("quantity", flat=True)) == [Decimal("3"), Decimal("12.5")]


def test_a_market_page_adds_only_the_lines_the_reader_may_see(client, member, priced):
    market, _, _ = priced
    url = reverse("simulations:add_market", args=[market.pk])
    forged = {f"q{secret(market, Audience.SUBSCRIBERS).pk}": "5", f"q{secret(market, Audience.MEMBERS).pk}": "5"}
    visitor_form = client.get(url).context["form"]
    assert all(f"q{secret(market, a).pk}" not in visitor_form.fields for a in (Audience.MEMBERS, Audience.SUBSCRIBERS))
    assert client.post(url, forged).status_code == 400  # no quantity for a line of the page
    assert SESSION_KEY not in client.session
