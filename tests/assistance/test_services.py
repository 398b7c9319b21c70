"""The status machine, references and emails of support requests."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from assistance import services
from assistance.context import RequestContext
from assistance.models import RequestMessage, Severity, Status
from assistance.tokens import request_pk_from_token
from tests.factories.assistance import SubjectFactory, screenshot


def _create(user=None, **extra):
    context = RequestContext(portal_version="2026.1", user=user or AnonymousUser(), page_path="/compte/inscription/")
    fields = {
        "subject": SubjectFactory(name="Inscription et compte"),
        "severity": Severity.BLOCKING,
        "frequency": "systematic",
        "message": "Le SIRET est refusé.",
        "contact_name": "Paul Visiteur",
        "contact_email": "paul@mairie-exemple.fr",
        **extra,
    }
    return services.request_create(context=context, **fields)


@pytest.fixture
def created(db, support_settings, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return _create(files=[(screenshot(), "png")])


def test_references_follow_a_yearly_sequence(db):
    first, second = _create(), _create()
    year = timezone.localdate().year
    assert first.reference == f"AS-{year}-000001"
    assert second.reference == f"AS-{year}-000002"


def test_creation_emails_the_reference_the_link_and_the_phone(created):
    (email,) = mail.outbox
    assert email.subject == f"Assistance - Création d'une demande - Réf. {created.reference}"
    assert email.to == ["paul@mairie-exemple.fr"]
    assert "04 65 71 20 20" in email.body and "de 9 h à 18 h" in email.body
    token = email.body.split("/assistance/suivi/")[1].split("/")[0]
    assert request_pk_from_token(token) == created.pk


def test_a_members_email_links_to_their_account_page(member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        support_request = _create(user=member, contact_email=member.email)
    assert f"/assistance/demandes/{support_request.reference}/" in mail.outbox[0].body
    assert "/suivi/" not in mail.outbox[0].body


def test_attachments_are_stored_under_generated_names(created):
    (attachment,) = created.attachments.all()
    assert attachment.original_name == "capture.png"
    assert attachment.file.name.startswith(f"assistance/{created.year}/")
    assert "capture" not in attachment.file.name
    with attachment.file.open("rb") as handle:
        assert handle.read(8) == b"\x89PNG\r\n\x1a\n"


def test_staff_reply_dates_the_first_response_and_emails(created, staff, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.request_reply(support_request=created, author=staff, body="Quel SIRET ?", wait_for_requester=True)
    created.refresh_from_db()
    assert created.status == Status.WAITING and created.first_response_at is not None
    (email,) = mail.outbox
    assert email.subject == f"Assistance - Mise à jour de votre demande - Réf. {created.reference}"
    assert "Quel SIRET ?" in email.body and "En attente du demandeur" in email.body


def test_notes_and_assignment_stay_internal(created, staff, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.request_note(support_request=created, author=staff, body="Voir le registre INSEE")
    assert mail.outbox == []
    assert created.messages.get().internal


def test_a_requesters_answer_reopens_and_tells_the_assignee(created, staff, django_capture_on_commit_callbacks):
    services.request_assign(support_request=created, assignee=staff, by=staff)
    services.request_set_status(support_request=created, status=Status.RESOLVED, by=staff)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.request_message_add(support_request=created, author_name="Paul", body="Toujours bloqué.")
    created.refresh_from_db()
    assert created.status == Status.IN_PROGRESS and created.resolved_at is None
    (email,) = mail.outbox
    assert email.to == [staff.email] and "Toujours bloqué." in email.body


@pytest.mark.parametrize(
    ("start", "target", "allowed"),
    [
        (Status.NEW, Status.IN_PROGRESS, True),
        (Status.IN_PROGRESS, Status.WAITING, True),
        (Status.WAITING, Status.RESOLVED, True),
        (Status.RESOLVED, Status.CLOSED, True),
        (Status.CLOSED, Status.IN_PROGRESS, True),
        (Status.RESOLVED, Status.WAITING, False),
        (Status.CLOSED, Status.RESOLVED, False),
        (Status.NEW, Status.NEW, False),
    ],
)
def test_the_status_machine(created, staff, start, target, allowed):
    created.status = start
    created.save()
    if allowed:
        services.request_set_status(support_request=created, status=target, by=staff)
        created.refresh_from_db()
        assert created.status == target
    else:
        with pytest.raises(ValidationError):
            services.request_set_status(support_request=created, status=target, by=staff)


def test_a_closed_request_takes_no_more_messages(created):
    services.request_close_by_requester(support_request=created, author_name="Paul")
    with pytest.raises(ValidationError, match="fermée"):
        services.request_message_add(support_request=created, author_name="Paul", body="Encore moi")


def test_resolved_requests_close_after_the_delay_idempotently(
    created, staff, settings, django_capture_on_commit_callbacks
):
    settings.ASSISTANCE_AUTO_CLOSE_DAYS = 14
    services.request_set_status(support_request=created, status=Status.RESOLVED, by=staff)
    now = timezone.now()
    assert services.requests_close_resolved(now=now + datetime.timedelta(days=13)) == 0
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("close_resolved_requests", stdout=open("/dev/null", "w"))
    assert mail.outbox == []  # resolved just now: not yet
    with django_capture_on_commit_callbacks(execute=True):
        assert services.requests_close_resolved(now=now + datetime.timedelta(days=15)) == 1
    assert services.requests_close_resolved(now=now + datetime.timedelta(days=15)) == 0
    created.refresh_from_db()
    assert created.status == Status.CLOSED
    assert created.messages.filter(kind=RequestMessage.Kind.EVENT, status=Status.CLOSED).count() == 1
    assert "Fermée automatiquement 14 jours" in mail.outbox[0].body
