"""Reads of the assistance: who may see which request, its exchange, the FAQ of a subject.

A request is its requester's only (their account, or the visitor a signed link let in this
session); anyone else gets a 404, never a hint that it exists.
"""

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from .models import Attachment, FaqEntry, FaqPage, Subject, SupportRequest

SESSION_KEY = "assistance_requests"
MAX_GRANTS = 20


def faq_page() -> FaqPage | None:
    return FaqPage.objects.live().public().first()


def subject_choices() -> QuerySet[Subject]:
    return Subject.objects.filter(active=True).order_by("sort_order", "name")


def faq_entries_for(*, subject: Subject | None) -> list[FaqEntry]:
    if subject is None:
        return []
    return list(FaqEntry.objects.live().filter(subject=subject).order_by("sort_order", "pk"))


def request_list_for_user(*, user) -> QuerySet[SupportRequest]:
    """ "Mes demandes": one query, whatever their number."""
    return SupportRequest.objects.filter(requester=user).select_related("subject").order_by("-created_at")


def granted_pks(session) -> list[int]:
    return [pk for pk in session.get(SESSION_KEY, []) if isinstance(pk, int)]


def grant(session, pk: int) -> None:
    """This browser followed a valid link to request `pk`: it may see it for the session."""
    pks = [p for p in granted_pks(session) if p != pk]
    session[SESSION_KEY] = [pk, *pks][:MAX_GRANTS]


def _visible(*, user, session) -> Q:
    allowed = Q(pk__in=granted_pks(session), requester__isnull=True)
    if user.is_authenticated:
        allowed |= Q(requester=user)
    return allowed


def request_for_viewer(*, user, session, reference: str) -> SupportRequest:
    support_request = (
        SupportRequest.objects.filter(_visible(user=user, session=session), reference=reference)
        .select_related("subject", "requester")
        .first()
    )
    if support_request is None:
        raise Http404("Demande introuvable.")
    return support_request


def public_attachments() -> QuerySet[Attachment]:
    """Attachments the requester may see: not those of internal notes."""
    return Attachment.objects.filter(Q(message__isnull=True) | Q(message__internal=False))


def request_exchange(*, support_request: SupportRequest, internal: bool = False):
    """(attachments sent with the request, the steps after it with their attachments): 2 queries."""
    attachments = public_attachments() if not internal else Attachment.objects.all()
    messages = support_request.messages.all() if internal else support_request.messages.filter(internal=False)
    messages = messages.prefetch_related(Prefetch("attachments", queryset=attachments.order_by("pk")))
    initial = list(attachments.filter(request=support_request, message__isnull=True).order_by("pk"))
    return initial, list(messages.order_by("created_at", "pk"))


def attachment_for_viewer(*, support_request: SupportRequest, pk: int) -> Attachment:
    attachment = public_attachments().filter(request=support_request, pk=pk).first()
    if attachment is None:
        raise Http404("Pièce jointe introuvable.")
    return attachment


def request_by_pk(pk: int) -> SupportRequest | None:
    return SupportRequest.objects.filter(pk=pk).first()
