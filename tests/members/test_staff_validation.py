import pytest
from django.core import mail
from django.urls import reverse
from wagtail.models import ModelLogEntry

from directory.selectors import directory_search
from members.models import Establishment, PendingChange, User
from tests.factories.members import EstablishmentFactory, PendingChangeFactory, UserFactory

pytestmark = pytest.mark.django_db


QUEUES = {User: "accounts_admin", Establishment: "establishments_admin", PendingChange: "changes_admin"}


@pytest.fixture(autouse=True)
def _staff_logged_in(client, staff):
    client.force_login(staff)


def decide_url(obj):
    return reverse(f"{QUEUES[type(obj)]}:decide", args=[obj.pk])


def index_url(model):
    return reverse(f"{QUEUES[model]}:index")


def decide(client, obj, decision, reason="", capture=None):
    with capture(execute=True):
        return client.post(decide_url(obj), {"decision": decision, "reason": reason})


def test_dashboard_counts_what_waits(client, staff):
    UserFactory.create_batch(2, status=User.Status.PENDING)
    EstablishmentFactory(status=Establishment.Status.PENDING)
    PendingChangeFactory.create_batch(3)
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Validation CANUT" in page
    assert '<strong class="review-queues__count">2</strong> Comptes à valider' in page
    assert '<strong class="review-queues__count">1</strong> Établissements à valider' in page
    assert '<strong class="review-queues__count">3</strong> Modifications à valider' in page
    assert index_url(User) + "?status=pending" in page


def test_account_queue_filters_and_searches(client, staff):
    anne = UserFactory(email="anne@nyons.fr", status=User.Status.PENDING)
    EstablishmentFactory(name="COMMUNE DE NYONS", users=[anne])
    UserFactory(email="paul@visan.fr", status=User.Status.ACTIVE)
    page = client.get(index_url(User), {"status": "pending"}).content.decode()
    assert "anne@nyons.fr" in page and "paul@visan.fr" not in page and "COMMUNE DE NYONS" in page
    assert decide_url(anne) in page
    page = client.get(index_url(User), {"q": "visan"}).content.decode()
    assert "paul@visan.fr" in page and "anne@nyons.fr" not in page
    assert staff.email not in client.get(index_url(User)).content.decode()  # staff are not in the queue


def test_approving_an_account_activates_it_and_sends_the_activation_email(
    client, staff, django_capture_on_commit_callbacks
):
    anne = UserFactory(email="anne@nyons.fr", first_name="Anne", status=User.Status.PENDING)
    page = client.get(decide_url(anne)).content.decode()
    assert "anne@nyons.fr" in page and "Valider" in page and "Refuser" in page
    response = decide(client, anne, "approve", capture=django_capture_on_commit_callbacks)
    assert response.url == index_url(User)
    anne.refresh_from_db()
    assert anne.status == User.Status.ACTIVE and anne.decided_by == staff and anne.decided_at is not None
    [email] = mail.outbox
    assert email.to == ["anne@nyons.fr"] and email.subject == "Votre compte CANUT est activé"
    assert "Bonjour Anne" in email.body and "/compte/connexion/" in email.body


def test_rejecting_needs_a_reason_which_is_sent(client, staff, django_capture_on_commit_callbacks):
    anne = UserFactory(email="anne@nyons.fr", status=User.Status.PENDING)
    page = decide(client, anne, "reject", capture=django_capture_on_commit_callbacks).content.decode()
    assert "Indiquez le motif du refus" in page
    anne.refresh_from_db()
    assert anne.status == User.Status.PENDING and mail.outbox == []
    decide(
        client,
        anne,
        "reject",
        "Adresse e-mail sans lien avec un organisme public.",
        capture=django_capture_on_commit_callbacks,
    )
    anne.refresh_from_db()
    [entry] = ModelLogEntry.objects.filter(action="review.reject")
    assert (entry.user_id, entry.object_id, entry.data["reason"]) == (staff.pk, str(anne.pk), anne.decision_reason)
    assert (anne.status, anne.decided_by, anne.decision_reason) == (
        User.Status.REJECTED,
        staff,
        "Adresse e-mail sans lien avec un organisme public.",
    )
    [email] = mail.outbox
    assert "Adresse e-mail sans lien avec un organisme public." in email.body


def test_a_decided_item_cannot_be_decided_again(client, staff, django_capture_on_commit_callbacks):
    anne = UserFactory(status=User.Status.ACTIVE)
    assert client.get(decide_url(anne)).status_code in (302, 403)
    decide(client, anne, "reject", "trop tard", capture=django_capture_on_commit_callbacks)
    anne.refresh_from_db()
    assert anne.status == User.Status.ACTIVE


def test_members_cannot_reach_the_queues(client):
    member = UserFactory()
    pending = UserFactory(status=User.Status.PENDING)
    client.force_login(member)
    assert client.get(index_url(User)).status_code == 302
    assert client.post(decide_url(pending), {"decision": "approve"}).status_code == 302
    pending.refresh_from_db()
    assert pending.status == User.Status.PENDING


def test_establishment_approval_and_rejection(client, staff, django_capture_on_commit_callbacks):
    member = UserFactory(email="anne@nyons.fr")
    first = EstablishmentFactory(status=Establishment.Status.PENDING, users=[member])
    second = EstablishmentFactory(status=Establishment.Status.PENDING, users=[member])
    page = client.get(index_url(Establishment), {"status": "pending", "q": first.siret}).content.decode()
    assert first.name in page and second.name not in page
    decide(client, first, "approve", capture=django_capture_on_commit_callbacks)
    decide(client, second, "reject", "Établissement privé.", capture=django_capture_on_commit_callbacks)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.decided_by) == ("validated", staff)
    assert [e.siret for e in directory_search(query=first.siret)] == [first.siret]  # the directory learns it
    assert directory_search(query=second.siret) == []
    assert (second.status, second.decision_reason) == ("rejected", "Établissement privé.")
    assert [m.subject for m in mail.outbox] == ["Votre établissement est validé", "Votre demande d'établissement"]
    assert "Établissement privé." in mail.outbox[1].body


def test_an_approved_account_change_is_applied(client, staff, django_capture_on_commit_callbacks):
    change = PendingChangeFactory(requested_by=UserFactory(function="Responsable informatique"))
    page = client.get(decide_url(change)).content.decode()
    assert "Responsable informatique" in page and "Directrice des systèmes d&#x27;information" in page
    decide(client, change, "approve", capture=django_capture_on_commit_callbacks)
    change.refresh_from_db()
    change.requested_by.refresh_from_db()
    assert change.status == "approved" and change.decided_by == staff
    assert change.requested_by.function == "Directrice des systèmes d'information"
    assert mail.outbox[0].subject == "Votre demande de modification est validée"


def test_a_rejected_change_is_not_applied(client, staff, django_capture_on_commit_callbacks):
    change = PendingChangeFactory()
    decide(client, change, "reject", "Fonction non justifiée.", capture=django_capture_on_commit_callbacks)
    change.refresh_from_db()
    change.requested_by.refresh_from_db()
    assert change.status == "rejected" and change.requested_by.function == "Responsable informatique"
    assert "Fonction non justifiée." in mail.outbox[0].body


def test_an_establishment_change_and_an_attachment_are_applied(client, staff, django_capture_on_commit_callbacks):
    member = UserFactory()
    mine = EstablishmentFactory(users=[member], street_name="RUE A")
    theirs = EstablishmentFactory()
    edit = PendingChange.objects.create(
        kind="establishment",
        requested_by=member,
        establishment=mine,
        data={"street_name": "RUE B"},
        previous={"street_name": "RUE A"},
    )
    attach = PendingChange.objects.create(kind="attachment", requested_by=member, establishment=theirs)
    page = client.get(index_url(PendingChange), {"kind": "establishment"}).content.decode()
    assert "RUE A → RUE B" in page
    decide(client, edit, "approve", capture=django_capture_on_commit_callbacks)
    decide(client, attach, "approve", capture=django_capture_on_commit_callbacks)
    mine.refresh_from_db()
    assert mine.street_name == "RUE B" and member in theirs.users.all()


def test_an_email_change_that_became_taken_is_refused_at_approval(client, staff, django_capture_on_commit_callbacks):
    change = PendingChangeFactory(data={"email": "pris@nyons.fr"}, previous={"email": "x"})
    UserFactory(email="pris@nyons.fr")
    page = decide(client, change, "approve", capture=django_capture_on_commit_callbacks).content.decode()
    assert "Un compte existe déjà avec cette adresse e-mail." in page
    change.refresh_from_db()
    assert change.status == "pending"


def test_every_queue_lists_inspects_and_exports(client, staff):
    from tests.factories.directory import directory_entries

    [entry] = directory_entries(
        {"siret": "92443595100018", "siren": "924435951", "name": "CANUT", "postcode": "69002", "city": "LYON"}
    )
    member = UserFactory(status=User.Status.PENDING)
    establishment = EstablishmentFactory(status=Establishment.Status.PENDING, users=[member])
    change = PendingChangeFactory(requested_by=member)
    for obj, name in (
        (member, "accounts_admin"),
        (establishment, "establishments_admin"),
        (change, "changes_admin"),
        (entry, "directory_admin"),
    ):
        assert client.get(reverse(f"{name}:index")).status_code == 200
        assert client.get(reverse(f"{name}:inspect", args=[obj.pk])).status_code == 200
        assert client.get(reverse(f"{name}:history", args=[obj.pk])).status_code == 200
    assert client.get(index_url(User), {"export": "xlsx"}).status_code == 200
    assert client.get(reverse("establishments_admin:edit", args=[establishment.pk])).status_code == 200
    assert client.get(reverse("accounts_admin:add")).status_code != 200  # accounts come from registration
    assert client.get(reverse("accounts_admin:edit", args=[member.pk])).status_code != 200  # nor edited here
