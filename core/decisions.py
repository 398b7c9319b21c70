"""The one path of a staff decision on anything Reviewed (accounts, establishments,
changes, groupements…): each app's service calls `decide` with what approval means."""

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from .models import Reviewed

MISSING_REASON = "Indiquez le motif du refus : il est envoyé au demandeur."
ALREADY_DECIDED = "Cette demande a déjà été traitée."
APPROVE_ACTION = "review.approve"
REJECT_ACTION = "review.reject"


def decide(
    *,
    instance: Reviewed,
    approve: bool,
    decided_by,
    reason: str = "",
    on_approve: Callable[[Reviewed], None] | None = None,
    notify: Callable[[Reviewed], None] | None = None,
) -> Reviewed:
    """Lock the row, refuse a decision on something no longer pending, run `on_approve`
    (its ValidationError undoes everything), record who, when and why, write Wagtail's
    history, then `notify` (which queues its emails for after the commit).

    Returns the decided row; a rejection needs a reason, which the requester reads.
    """
    reason = (reason or "").strip()
    if not approve and not reason:
        raise ValidationError({"reason": MISSING_REASON})
    with transaction.atomic():
        locked = type(instance)._default_manager.select_for_update().get(pk=instance.pk)
        if not locked.is_pending:
            raise ValidationError(ALREADY_DECIDED)
        if approve and on_approve is not None:
            on_approve(locked)
        locked.status = locked.approved_status if approve else locked.REJECTED
        locked.decided_at = timezone.now()
        locked.decided_by = decided_by
        locked.decision_reason = reason
        locked.save(update_fields=["status", "decided_at", "decided_by", "decision_reason"])
        log(
            instance=locked,
            action=APPROVE_ACTION if approve else REJECT_ACTION,
            user=decided_by,
            data={"reason": reason},
        )
        if notify is not None:
            notify(locked)
    return locked
