"""Claiming an establishment: joining anything that is not yours is a request staff decide,
and nobody receives a stranger's personal data before staff approve."""

import pytest
from django.core import mail
from django.urls import reverse

from members.models import Establishment, PendingChange, User
from members.services import establishment_add_for_user
from tests.assistance.test_views import _post_data
from tests.factories.assistance import SubjectFactory
from tests.factories.directory import directory_entries
from tests.factories.members import PASSWORD, EstablishmentFactory, UserFactory
from tests.members.test_registration import NYONS_SIRET
from tests.members.trust_helpers import link_in, register

pytestmark = pytest.mark.django_db

CANUT = {"siret": "92443595100018", "siren": "924435951", "name": "CANUT", "postcode": "69002", "city": "LYON"}


def _login(client, email):
    client.logout()
    response = client.post(reverse("members:login"), {"username": email, "password": PASSWORD})
    assert response.status_code == 302


def test_who_adds_a_directory_establishment_never_hears_of_its_real_staff(
    client, member, django_capture_on_commit_callbacks
):
    """A member of Nyons adds the CANUT from the directory with "+ Ajouter": it is created
    pending with them; the CANUT's real staff who register later are not shown to them."""
    directory_entries(CANUT)
    _login(client, "agent@nyons.fr")
    client.post(
        reverse("members:establishment_add"), {"name": "CANUT", "siren": CANUT["siren"], "siret": CANUT["siret"]}
    )
    claimed = Establishment.objects.get(siret=CANUT["siret"])
    assert claimed.status == Establishment.Status.PENDING and claimed.users.filter(pk=member.pk).exists()

    client.logout()
    [confirm] = register(
        client,
        django_capture_on_commit_callbacks,
        establishment={
            "name": "CANUT",
            "siren": CANUT["siren"],
            "siret": CANUT["siret"],
            "postcode": "69002",
            "city": "LYON",
        },
        email="directrice@canut.org",
        first_name="Véra",
        function="Directrice générale",
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.get(link_in(confirm, "/compte/confirmer/"))
    change = PendingChange.objects.get(requested_by__email="directrice@canut.org")
    assert change.kind == PendingChange.Kind.ATTACHMENT and change.is_pending
    assert [m.to for m in mail.outbox] == [["directrice@canut.org"]]  # the member of Nyons was told nothing

    _login(client, "agent@nyons.fr")
    page = client.get(reverse("members:establishments")).content.decode()
    assert "Véra" not in page and "directrice@canut.org" not in page
    objection = reverse("members:join_objection", args=[change.pk])
    assert client.get(objection).status_code == 404
    assert client.post(objection, {"reason": "Non"}).status_code == 404


def test_registering_on_an_establishment_without_users_is_a_request(client, django_capture_on_commit_callbacks):
    """A groupement's spreadsheet creates validated establishments nobody registered: the
    first stranger to name one at registration is not attached to it at once."""
    nyons = EstablishmentFactory(name="COMMUNE DE NYONS", siret=NYONS_SIRET, siren=NYONS_SIRET[:9], users=[])
    assert nyons.status == Establishment.Status.VALIDATED and not nyons.users.exists()
    register(client, django_capture_on_commit_callbacks, email="inconnu@nyons.fr")
    user = User.objects.get(email="inconnu@nyons.fr")
    assert not nyons.users.exists()
    assert PendingChange.objects.get(requested_by=user, kind=PendingChange.Kind.ATTACHMENT).establishment == nyons


def test_registering_creates_and_attaches_an_establishment_nobody_knew(client, django_capture_on_commit_callbacks):
    register(client, django_capture_on_commit_callbacks, email="premiere@nyons.fr")
    user = User.objects.get(email="premiere@nyons.fr")
    assert Establishment.objects.get(siret=NYONS_SIRET).users.get() == user
    assert not PendingChange.objects.exists()


def test_a_pending_establishment_users_are_not_asked_about_requests(member, django_capture_on_commit_callbacks):
    pending = EstablishmentFactory(status=Establishment.Status.PENDING, users=[member])
    stranger = UserFactory(email="autre@visan.fr")
    with django_capture_on_commit_callbacks(execute=True):
        _, attached = establishment_add_for_user(user=stranger, data={"siret": pending.siret})
    assert attached is False and mail.outbox == []


# What our emails quote ---------------------------------------------------------------------

PITCH = "Votre compte est bloqué appelez le 08 99 00 00 00"


def test_the_confirmation_email_quotes_nothing_the_registrant_typed(client, django_capture_on_commit_callbacks):
    [confirm] = register(client, django_capture_on_commit_callbacks, email="cible@nyons.fr", first_name=PITCH)
    assert PITCH not in confirm.body and "Bonjour," in confirm.body
    assert "Vous n'êtes pas à l'origine de cette demande ? Ignorez simplement ce message" in confirm.body
    assert "avec cette adresse e-mail" in confirm.body  # who asked: someone, with this address


def test_the_help_request_email_quotes_nothing_the_visitor_typed(client, django_capture_on_commit_callbacks):
    subject = SubjectFactory(name="Inscription", slug="inscription")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("assistance:request"), _post_data(subject, contact_name=PITCH, contact_email="cible@nyons.fr")
        )
    [sent] = mail.outbox
    assert sent.to == ["cible@nyons.fr"] and PITCH not in sent.body and PITCH not in sent.subject
    assert "Ignorez simplement ce message" in sent.body
