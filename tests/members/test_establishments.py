import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.models import Establishment, PendingChange
from tests.factories.directory import directory_entries, siret_of, valid_siren
from tests.factories.members import EstablishmentFactory, UserFactory

pytestmark = pytest.mark.django_db

LIST = reverse("members:establishments")
ADD = reverse("members:establishment_add")


@pytest.fixture
def member(client):
    user = UserFactory(email="anne@nyons.fr")
    client.force_login(user)
    return user


def edit_url(establishment):
    return reverse("members:establishment_edit", args=[establishment.pk])


def establishment_form(establishment, **overrides):
    """What the "Modifier" form posts: every field a member may change."""
    fields = Establishment.CHANGEABLE_FIELDS
    return {**{name: getattr(establishment, name) for name in fields}, **overrides}


def test_my_establishments_show_address_markets_and_users(client, member):
    colleague = UserFactory(email="paul@nyons.fr", first_name="Paul", last_name="Durand")
    mine = EstablishmentFactory(
        name="COMMUNE DE NYONS",
        street_number="",
        street_name="BUFFAVEN",
        postcode="26110",
        city="NYONS",
        users=[member, colleague],
    )
    EstablishmentFactory(name="COMMUNE DE VISAN", users=[UserFactory(email="secret@visan.fr")])
    page = client.get(LIST).content.decode()
    assert "COMMUNE DE NYONS" in page and "BUFFAVEN" in page and "26110 NYONS" in page
    assert "0 marché(s)" in page
    assert "paul@nyons.fr" in page and "Paul Durand" in page
    assert edit_url(mine) in page and ADD in page
    assert "signaler via le formulaire de contact" in page
    assert "VISAN" not in page and "secret@visan.fr" not in page


def test_the_list_costs_the_same_queries_for_one_or_many_establishments(client, member):
    EstablishmentFactory(users=[member, UserFactory()])

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(LIST).status_code == 200
        return [q["sql"][:120] for q in queries]

    client.get(LIST)  # caches warmed (site settings)
    one = count()
    for _ in range(4):
        establishment = EstablishmentFactory(users=[member, UserFactory(), UserFactory()])
        PendingChange.objects.create(
            kind="establishment", requested_by=member, establishment=establishment, data={"city": "X"}
        )
    assert len(count()) == len(one)


def test_list_query_count_is_fixed(client, member, django_assert_num_queries):
    for _ in range(3):
        EstablishmentFactory(users=[member, UserFactory()])
    client.get(LIST)  # warm the cached site, header and footer menus
    # session, user, 2 permission lookups (Wagtail user bar), then ours:
    # pending attachments, requests to join the member's establishments, establishments with
    # their market counts, their users, their open changes.
    with django_assert_num_queries(9):
        client.get(LIST)


def test_another_members_establishment_is_a_404(client, member):
    other = EstablishmentFactory(users=[UserFactory(email="secret@visan.fr")])
    assert client.get(edit_url(other)).status_code == 404
    assert client.post(edit_url(other), establishment_form(other, name="PIRATE")).status_code == 404
    other.refresh_from_db()
    assert other.name != "PIRATE" and not PendingChange.objects.exists()


def test_modifying_my_establishment_waits_for_validation(client, member):
    mine = EstablishmentFactory(name="COMMUNE DE NYONS", users=[member])
    page = client.get(edit_url(mine)).content.decode()
    assert 'value="COMMUNE DE NYONS"' in page
    response = client.post(
        edit_url(mine), establishment_form(mine, street_name="PLACE DE LA LIBERATION", chorus_code="CH-9")
    )
    assert response.url == LIST
    mine.refresh_from_db()
    assert mine.street_name != "PLACE DE LA LIBERATION"
    change = PendingChange.objects.get()
    assert (change.kind, change.establishment, change.data) == (
        "establishment",
        mine,
        {"street_name": "PLACE DE LA LIBERATION", "chorus_code": "CH-9"},
    )
    assert "en attente de validation" in client.get(LIST).content.decode()


def test_a_siret_change_is_checked(client, member):
    mine = EstablishmentFactory(users=[member])
    taken = EstablishmentFactory()
    valid = siret_of(mine.siren, 2)
    wrong_key = valid[:-1] + str((int(valid[-1]) + 1) % 10)
    page = client.post(edit_url(mine), establishment_form(mine, siret=wrong_key)).content.decode()
    assert "Ce SIRET n&#x27;existe pas" in page
    page = client.post(edit_url(mine), establishment_form(mine, siren=taken.siren, siret=taken.siret)).content.decode()
    assert "Un autre établissement est déjà enregistré avec ce SIRET." in page
    page = client.post(edit_url(mine), establishment_form(mine, siret=taken.siret)).content.decode()
    assert "Le SIRET doit commencer par le SIREN" in page
    assert not PendingChange.objects.exists()


def test_add_a_new_establishment_pending_validation(client, member):
    siren = valid_siren(500)
    data = {"name": "SYNDICAT DES EAUX", "siren": siren, "siret": siret_of(siren), "postcode": "26110", "city": "NYONS"}
    response = client.post(ADD, data)
    assert response.url == LIST
    created = Establishment.objects.get(siret=data["siret"])
    assert created.status == "pending" and member in created.users.all() and created.created_by == member
    page = client.get(LIST).content.decode()
    assert "SYNDICAT DES EAUX" in page and "En attente de validation" in page


def test_add_from_the_directory(client, member):
    [entry] = directory_entries(
        {"siret": "92443595100018", "siren": "924435951", "name": "CANUT", "postcode": "69002", "city": "LYON"}
    )
    page = client.get(ADD, {"q": "canut lyon"}).content.decode()
    assert entry.label in page
    page = client.get(ADD, {"q": "canut lyon", "siret": entry.siret}).content.decode()
    assert 'value="CANUT"' in page
    client.post(ADD, {"name": "CANUT", "siren": "924435951", "siret": "92443595100018"})
    # Nobody registered it yet: taking it is a request staff validate (members/test_trust_join.py).
    assert member.establishments.get().status == "pending"


def test_attaching_to_an_already_registered_establishment_waits_for_staff(client, member):
    theirs = EstablishmentFactory(users=[UserFactory(email="secret@visan.fr")])
    response = client.post(ADD, {"name": theirs.name, "siren": theirs.siren, "siret": theirs.siret})
    assert response.url == LIST
    assert member not in theirs.users.all()
    change = PendingChange.objects.get()
    assert (change.kind, change.establishment, change.requested_by) == ("attachment", theirs, member)
    page = client.get(LIST).content.decode()
    assert "secret@visan.fr" not in page and "est en attente de validation" in page
