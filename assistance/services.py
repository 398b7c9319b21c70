"""Writes of the assistance: a request and its reference, the exchange, and the status
machine Nouvelle → En cours → En attente du demandeur → Résolue → Fermée.

Every change locks the request row; every update staff make that the requester can see
emails them (after the commit, through core.emails).
"""

import datetime
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from . import notifications
from .attachments import EXTENSIONS, display_name
from .context import RequestContext
from .models import (
    Attachment,
    FaqResolution,
    ReferenceCounter,
    RequestMessage,
    Status,
    Subject,
    SupportRequest,
)

Kind = RequestMessage.Kind

# Which status may follow which. Staff may reopen a closed request; the requester may
# close theirs at any time, and their message reopens a resolved one.
TRANSITIONS = {
    Status.NEW: {Status.IN_PROGRESS, Status.WAITING, Status.RESOLVED, Status.CLOSED},
    Status.IN_PROGRESS: {Status.WAITING, Status.RESOLVED, Status.CLOSED},
    Status.WAITING: {Status.IN_PROGRESS, Status.RESOLVED, Status.CLOSED},
    Status.RESOLVED: {Status.IN_PROGRESS, Status.CLOSED},
    Status.CLOSED: {Status.IN_PROGRESS},
}
MAX_ATTACHMENTS_PER_REQUEST = 20
CLOSED_MESSAGE = "Cette demande est fermée : ouvrez une nouvelle demande si besoin."
EMPTY_MESSAGE = "Écrivez un message ou joignez un fichier."


# References ------------------------------------------------------------------------------


def _next_number(year: int) -> int:
    """The year's next number. The UPDATE locks the counter row until the transaction
    ends, so concurrent requests get distinct numbers (the unique constraint backs it)."""
    if not ReferenceCounter.objects.filter(year=year).update(last=F("last") + 1):
        try:
            with transaction.atomic():
                ReferenceCounter.objects.create(year=year, last=1)
            return 1
        except IntegrityError:  # another request created the year's row meanwhile
            ReferenceCounter.objects.filter(year=year).update(last=F("last") + 1)
    return ReferenceCounter.objects.get(year=year).last


# Creation --------------------------------------------------------------------------------


def faq_resolution_record(*, subject: Subject) -> FaqResolution:
    return FaqResolution.objects.create(subject=subject)


def _store_attachments(support_request, message, checked):
    if support_request.attachments.count() + len(checked) > MAX_ATTACHMENTS_PER_REQUEST:
        raise ValidationError(
            {"attachments": f"Une demande compte {MAX_ATTACHMENTS_PER_REQUEST} pièces jointes au plus."}
        )
    for file, kind in checked:
        attachment = Attachment(
            request=support_request,
            message=message,
            original_name=display_name(file, kind),
            kind=kind,
            size=file.size,
        )
        # A generated name: nothing the sender chose reaches the file system.
        attachment.file.save(f"{support_request.year}/{uuid.uuid4().hex}.{EXTENSIONS[kind]}", file, save=False)
        attachment.save()


def request_create(
    *,
    context: RequestContext,
    subject: Subject,
    severity: str,
    frequency: str,
    message: str,
    contact_name: str,
    contact_email: str,
    contact_phone: str = "",
    organisation: str = "",
    files=(),
) -> SupportRequest:
    """Record a request with the context the requester was shown, number it, email them."""
    user = context.user if context.user.is_authenticated else None
    with transaction.atomic():
        year = timezone.localdate().year
        number = _next_number(year)
        support_request = SupportRequest(
            reference=f"AS-{year}-{number:06d}",
            year=year,
            number=number,
            subject=subject,
            severity=severity,
            frequency=frequency,
            message=message.strip(),
            requester=user,
            contact_name=contact_name.strip(),
            contact_email=contact_email.strip(),
            contact_phone=contact_phone.strip(),
            organisation=organisation.strip(),
            portal_version=context.portal_version[:50],
            page_path=context.page_path,
            page_label=context.page_label[:200],
            concerns=context.concerns,
            concerns_label=context.concerns_label,
            browser=context.browser,
            operating_system=context.operating_system,
        )
        support_request.full_clean(exclude=["reference", "year", "number", "content_type", "object_id"])
        support_request.save()
        support_request.establishments.set(context.establishments)
        _store_attachments(support_request, None, files)
        notifications.request_created(support_request)
    return support_request


# Status machine ------------------------------------------------------------------------


def _locked(support_request) -> SupportRequest:
    return SupportRequest.objects.select_for_update().get(pk=support_request.pk)


def _event(locked, *, author=None, author_name="", status="", body="", internal=False, kind=Kind.EVENT):
    return RequestMessage.objects.create(
        request=locked,
        kind=kind,
        internal=internal,
        author=author,
        author_name=author_name[:150],
        status=status,
        body=body,
    )


def _move(locked, status, *, now):
    """Change `locked`'s status, dating resolution and closing; refuses what TRANSITIONS does not list."""
    if status not in TRANSITIONS[locked.status]:
        raise ValidationError(
            f"Une demande « {locked.get_status_display()} » ne peut pas passer à « {Status(status).label} »."
        )
    if status == Status.RESOLVED:
        locked.resolved_at = now
    elif status == Status.CLOSED:
        locked.closed_at = now
    elif locked.status in (Status.RESOLVED, Status.CLOSED):  # reopened: it is no longer resolved
        locked.resolved_at = locked.closed_at = None
    locked.status = status


def request_set_status(*, support_request, status: str, by, comment: str = "") -> SupportRequest:
    """Staff move a request (take it, wait for the requester, resolve, close, reopen)."""
    with transaction.atomic():
        locked = _locked(support_request)
        _move(locked, status, now=timezone.now())
        locked.save()
        _event(locked, author=by, author_name=by.get_full_name(), status=status, body=comment.strip())
        notifications.request_updated(locked, status=status, body=comment.strip())
    return locked


def request_assign(*, support_request, assignee, by) -> SupportRequest:
    """Name who follows the request (an internal step); a new request is then in progress."""
    with transaction.atomic():
        locked = _locked(support_request)
        locked.assignee = assignee
        moved = locked.status == Status.NEW and assignee is not None
        if moved:
            _move(locked, Status.IN_PROGRESS, now=timezone.now())
        locked.save()
        name = assignee.get_full_name() or assignee.email if assignee else "personne"
        _event(locked, author=by, author_name=by.get_full_name(), body=f"Suivie par : {name}.", internal=True)
        if moved:
            notifications.request_updated(locked, status=Status.IN_PROGRESS)
    return locked


def request_reply(*, support_request, author, body: str, files=(), wait_for_requester=False) -> SupportRequest:
    """A staff reply the requester reads (and is emailed); the first one dates the first response."""
    body = body.strip()
    if not body and not files:
        raise ValidationError({"body": EMPTY_MESSAGE})
    with transaction.atomic():
        locked = _locked(support_request)
        now = timezone.now()
        locked.first_response_at = locked.first_response_at or now
        # An open request follows the reply; a resolved or closed one keeps its status.
        target = Status.WAITING if wait_for_requester else Status.IN_PROGRESS
        if locked.is_open and locked.status != target:
            _move(locked, target, now=now)
        locked.save()
        message = _event(locked, kind=Kind.REPLY, author=author, author_name=author.get_full_name(), body=body)
        _store_attachments(locked, message, files)
        notifications.request_updated(locked, status=locked.status, body=body, reply=True)
    return locked


def request_note(*, support_request, author, body: str, files=()) -> RequestMessage:
    """An internal note: staff only, never shown or sent to the requester."""
    body = body.strip()
    if not body and not files:
        raise ValidationError({"body": EMPTY_MESSAGE})
    with transaction.atomic():
        locked = _locked(support_request)
        note = _event(
            locked, kind=Kind.NOTE, author=author, author_name=author.get_full_name(), body=body, internal=True
        )
        _store_attachments(locked, note, files)
        locked.save(update_fields=["updated_at"])
    return note


# The requester -----------------------------------------------------------------------------


def request_message_add(*, support_request, author_name: str, body: str, files=(), author=None) -> RequestMessage:
    """The requester answers or adds a file; an answer to a waiting or resolved request
    puts it back in progress (and tells whoever follows it)."""
    body = body.strip()
    if not body and not files:
        raise ValidationError({"body": EMPTY_MESSAGE})
    with transaction.atomic():
        locked = _locked(support_request)
        if not locked.accepts_messages:
            raise ValidationError(CLOSED_MESSAGE)
        if locked.status in (Status.WAITING, Status.RESOLVED):
            _move(locked, Status.IN_PROGRESS, now=timezone.now())
        locked.save()
        message = _event(locked, kind=Kind.MESSAGE, author=author, author_name=author_name, body=body)
        _store_attachments(locked, message, files)
        notifications.requester_wrote(locked, body=body)
    return message


def request_close_by_requester(*, support_request, author_name: str, author=None) -> SupportRequest:
    with transaction.atomic():
        locked = _locked(support_request)
        if locked.status == Status.CLOSED:
            return locked
        _move(locked, Status.CLOSED, now=timezone.now())
        locked.save()
        _event(locked, author=author, author_name=author_name, status=Status.CLOSED, body="Fermée par le demandeur.")
    return locked


def requests_close_resolved(*, now: datetime.datetime | None = None) -> int:
    """Close the requests resolved ASSISTANCE_AUTO_CLOSE_DAYS ago that nobody answered
    since (an answer reopens a request, so they are still "resolved"). Idempotent."""
    now = now or timezone.now()
    limit = now - datetime.timedelta(days=settings.ASSISTANCE_AUTO_CLOSE_DAYS)
    closed = 0
    for pk in SupportRequest.objects.filter(status=Status.RESOLVED, resolved_at__lte=limit).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            locked = SupportRequest.objects.select_for_update().get(pk=pk)
            if locked.status != Status.RESOLVED or locked.resolved_at > limit:
                continue  # answered or handled meanwhile
            _move(locked, Status.CLOSED, now=now)
            locked.save()
            days = settings.ASSISTANCE_AUTO_CLOSE_DAYS
            body = f"Fermée automatiquement {days} jours après sa résolution, sans réponse du demandeur."
            _event(locked, author_name="CANUT", status=Status.CLOSED, body=body)
            notifications.request_updated(locked, status=Status.CLOSED, body=body)
            closed += 1
    return closed
