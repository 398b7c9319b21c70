"""The emails of the assistance, built from plain data (core.emails renders them later)."""

from django.urls import reverse

from core.emails import email_send
from core.site_settings import site_settings

from .models import Status
from .tokens import request_token

STATUS_MESSAGES = {
    Status.IN_PROGRESS: "Votre demande est prise en charge par l'équipe de la CANUT.",
    Status.WAITING: "L'équipe de la CANUT attend une réponse de votre part.",
    Status.RESOLVED: "Votre demande est résolue. Si ce n'est pas le cas, répondez : elle sera rouverte.",
    Status.CLOSED: "Votre demande est fermée.",
}


def support_contact() -> dict:
    """The support phone number and hours editors set (site settings, read by name)."""
    configured = site_settings()
    return {
        "support_phone": getattr(configured, "support_phone", ""),
        "support_hours": getattr(configured, "support_hours", ""),
    }


def follow_path(support_request) -> str:
    """Where the requester follows the request: their account's page, or a visitor's signed link."""
    if support_request.requester_id:
        return reverse("assistance:detail", args=[support_request.reference])
    return reverse("assistance:access", args=[request_token(support_request)])


def _common(support_request) -> dict:
    return {
        "reference": support_request.reference,
        "subject": support_request.subject.name,
        "contact_name": support_request.contact_name,
        "status": support_request.get_status_display(),
        "link_path": follow_path(support_request),
        **support_contact(),
    }


def request_created(support_request) -> None:
    email_send(
        to=[support_request.contact_email],
        template="assistance/emails/created",
        context=_common(support_request),
    )


def request_updated(support_request, *, status: str, body: str = "", reply: bool = False) -> None:
    """Every update staff make that the requester sees: a reply, a new status."""
    email_send(
        to=[support_request.contact_email],
        template="assistance/emails/updated",
        context={
            **_common(support_request),
            "reply": body if reply else "",
            "comment": "" if reply else body,
            "status_message": STATUS_MESSAGES.get(status, ""),
        },
    )


def requester_wrote(support_request, *, body: str) -> None:
    """Whoever follows the request hears of the requester's answer."""
    if support_request.assignee_id and support_request.assignee.email:
        email_send(
            to=[support_request.assignee.email],
            template="assistance/emails/requester_wrote",
            context={
                "reference": support_request.reference,
                "subject": support_request.subject.name,
                "contact_name": support_request.contact_name,
                "message": body,
                "admin_path": reverse("assistance_admin:inspect", args=[support_request.pk]),
            },
        )
