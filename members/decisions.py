"""Staff decisions on members' accounts, establishments and pending changes, each through the
one decision path (core.decisions.decide): who, when and why recorded, the member emailed."""

from django.core.exceptions import ValidationError
from django.urls import reverse

from core.decisions import decide
from core.emails import email_send
from core.validators import validate_professional_email
from directory.services import directory_learn

from .models import Establishment, PendingChange, User
from .services import EmailAlreadyRegistered, attach, email_taken

UNCONFIRMED_EMAIL = "L'adresse e-mail du demandeur n'est pas encore confirmée : attendez qu'il clique sur le lien reçu."


def _require_confirmed_email(user: User) -> None:
    if not user.email_confirmed:
        raise ValidationError(UNCONFIRMED_EMAIL)


def account_decide(*, user: User, approve: bool, decided_by: User, reason: str = "") -> User:
    """Only an account whose address is confirmed may be approved (any may be refused)."""

    def notify(user):
        if user.status == User.Status.ACTIVE:
            context = {"first_name": user.first_name, "login_path": reverse("members:login")}
            email_send(to=[user.email], template="members/emails/account_approved", context=context)
        else:
            context = {"first_name": user.first_name, "reason": user.decision_reason}
            email_send(to=[user.email], template="members/emails/account_rejected", context=context)

    return decide(
        instance=user,
        approve=approve,
        decided_by=decided_by,
        reason=reason,
        on_approve=_require_confirmed_email,
        notify=notify,
    )


def establishment_decide(
    *, establishment: Establishment, approve: bool, decided_by: User, reason: str = ""
) -> Establishment:
    def notify(establishment):
        for user in establishment.users.filter(status=User.Status.ACTIVE):
            context = {
                "first_name": user.first_name,
                "establishment": establishment.name,
                "approved": establishment.status == Establishment.Status.VALIDATED,
                "reason": establishment.decision_reason,
            }
            email_send(to=[user.email], template="members/emails/establishment_decided", context=context)

    return decide(
        instance=establishment,
        approve=approve,
        decided_by=decided_by,
        reason=reason,
        on_approve=lambda establishment: directory_learn(establishment=establishment),
        notify=notify,
    )


def _apply(change: PendingChange) -> None:
    if change.kind == PendingChange.Kind.ATTACHMENT:
        _require_confirmed_email(change.requested_by)
        attach(user=change.requested_by, establishment=change.establishment)
        return
    target = change.establishment if change.kind == PendingChange.Kind.ESTABLISHMENT else change.requested_by
    for name, value in change.data.items():
        setattr(target, name, value)
    if change.kind == PendingChange.Kind.ACCOUNT and "email" in change.data:
        validate_professional_email(target.email)
        if email_taken(target.email, exclude_pk=target.pk):
            raise EmailAlreadyRegistered
    target.full_clean(exclude=["password"] if change.kind == PendingChange.Kind.ACCOUNT else None)
    target.save()


def pending_change_decide(*, change: PendingChange, approve: bool, decided_by: User, reason: str = "") -> PendingChange:
    """Approving applies the proposed values, or refuses (ValidationError) if they no longer fit."""

    def notify(change):
        context = {
            "first_name": change.requested_by.first_name,
            "what": str(change),
            "approved": change.status == PendingChange.Status.APPROVED,
            "reason": change.decision_reason,
        }
        email_send(to=[change.requested_by.email], template="members/emails/change_decided", context=context)

    return decide(
        instance=change, approve=approve, decided_by=decided_by, reason=reason, on_approve=_apply, notify=notify
    )
