import pytest
from django.urls import reverse

from members.models import PendingChange, User
from tests.factories.members import UserFactory

pytestmark = pytest.mark.django_db

ACCOUNT = reverse("members:account")
EDIT = reverse("members:account_edit")


@pytest.fixture
def member(client):
    user = UserFactory(email="anne@nyons.fr", first_name="Anne", last_name="Quentin", function="DGS")
    client.force_login(user)
    return user


def form_data(user, **overrides):
    return {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "function": user.function,
        "email": user.email,
        "establishment_phone": user.establishment_phone,
        "professional_phone": user.professional_phone,
        **overrides,
    }


def test_member_space_needs_login(client):
    for url in (
        reverse("members:home"),
        reverse("subscriptions:dashboard"),
        ACCOUNT,
        EDIT,
        reverse("members:establishments"),
    ):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("members:login"))


def test_compte_leads_to_the_dashboard_and_my_account(client, member):
    assert client.get(reverse("members:home")).url == reverse("subscriptions:dashboard")
    page = client.get(ACCOUNT).content.decode()
    assert "Mon compte" in page and "Anne" in page and "anne@nyons.fr" in page and "Modifier mon compte" in page


def test_changes_wait_for_staff_validation(client, member):
    response = client.post(
        EDIT, form_data(member, function="Directrice générale des services", professional_phone="06 12 34 56 78")
    )
    assert response.url == ACCOUNT
    member.refresh_from_db()
    assert member.function == "DGS"  # not applied yet
    change = PendingChange.objects.get()
    assert (change.kind, change.status, change.requested_by) == ("account", "pending", member)
    assert change.data == {"function": "Directrice générale des services", "professional_phone": "06 12 34 56 78"}
    assert change.previous == {"function": "DGS", "professional_phone": ""}
    page = client.get(ACCOUNT).content.decode()
    assert (
        "Modification en attente de validation par la CANUT" in page
        and "DGS → Directrice générale des services" in page
    )


def test_a_new_request_replaces_the_open_one_and_the_form_shows_it(client, member):
    client.post(EDIT, form_data(member, function="DSI"))
    client.post(EDIT, form_data(member, function="DSI adjointe"))
    assert PendingChange.objects.get().data == {"function": "DSI adjointe"}
    assert 'value="DSI adjointe"' in client.get(EDIT).content.decode()
    client.post(EDIT, form_data(member))  # back to the current values
    assert not PendingChange.objects.exists()


def test_email_changes_are_checked_when_asked(client, member):
    UserFactory(email="deja@nyons.fr")
    page = client.post(EDIT, form_data(member, email="anne@gmail.com")).content.decode()
    assert "Seules les adresses e-mail professionnelles sont acceptées" in page
    page = client.post(EDIT, form_data(member, email="Deja@nyons.fr")).content.decode()
    assert "Un compte existe déjà avec cette adresse e-mail." in page
    assert not PendingChange.objects.exists()


def test_members_cannot_change_their_status(client, member):
    member.status = User.Status.ACTIVE
    client.post(EDIT, {**form_data(member, function="DSI"), "status": "rejected", "is_staff": "on"})
    assert set(PendingChange.objects.get().data) == {"function"}
