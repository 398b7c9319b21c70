"""Writes of the members app: keyword-only, typed, validated with full_clean(), atomic.

Views call these and nothing else to change members' data; staff decisions (admin queues)
go through the *_approve / *_reject functions, which date and sign every decision.
"""

from functools import partial

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from wagtail.log_actions import log

from .models import DirectoryEntry, DirectoryWord, Establishment, PendingChange, User
from .models.changes import ACCOUNT_CHANGE_FIELDS, ESTABLISHMENT_CHANGE_FIELDS
from .models.directory import ESTABLISHMENT_FIELDS, fold_name
from .subscriptions.services import user_sync_market_permissions
from .tasks import send_member_email
from .validators import validate_professional_email

DUPLICATE_EMAIL_MESSAGE = (
    "Un compte existe déjà avec cette adresse e-mail. Connectez-vous, ou utilisez « Mot de passe "
    "oublié ? » si vous ne vous en souvenez plus."
)


class EmailAlreadyRegistered(ValidationError):
    def __init__(self):
        super().__init__({"email": DUPLICATE_EMAIL_MESSAGE}, code="duplicate_email")


def _email(*, to: str, subject: str, template_name: str, context: dict) -> None:
    """Sends once the transaction commits: a rolled-back decision sends nothing."""
    transaction.on_commit(
        partial(send_member_email.enqueue, to=to, subject=subject, template_name=template_name, context=context)
    )


def _email_taken(email: str, *, exclude_pk=None) -> bool:
    users = User.objects.filter(email__iexact=email)
    if exclude_pk is not None:
        users = users.exclude(pk=exclude_pk)
    return users.exists()


# Establishments -------------------------------------------------------------------------


def establishment_resolve(*, data: dict, requested_by: User | None) -> tuple[Establishment, bool]:
    """The establishment a member names by SIRET: the known one, else a new one.

    A SIRET already registered reuses that establishment as it is. A SIRET of the directory
    creates the establishment from the directory (reference data, validated at once, the
    member's Chorus code kept). Anything else is created as typed, pending staff validation.
    """
    siret = data["siret"]
    existing = Establishment.objects.filter(siret=siret).first()
    if existing:
        return existing, False
    values = {name: data.get(name, "") or "" for name in ESTABLISHMENT_CHANGE_FIELDS if name != "siret"}
    status = Establishment.Status.PENDING
    entry = DirectoryEntry.objects.filter(siret=siret).first()
    if entry:
        values.update(entry.as_establishment_data())
        values.pop("siret", None)
        status = Establishment.Status.VALIDATED
    establishment = Establishment(siret=siret, status=status, created_by=requested_by, **values)
    establishment.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            establishment.save()
    except IntegrityError:
        # Someone registered the same SIRET a moment ago: theirs is the one.
        return Establishment.objects.get(siret=siret), False
    return establishment, True


def establishment_add_for_user(*, user: User, data: dict) -> tuple[Establishment, bool]:
    """ "+ Ajouter un établissement": returns (establishment, attached now).

    A new establishment is created and the member attached to it. An establishment already
    registered has other members and their data: attaching to it waits for staff.
    """
    with transaction.atomic():
        establishment, created = establishment_resolve(data=data, requested_by=user)
        if created:
            establishment.users.add(user)
            return establishment, True
        if establishment.users.filter(pk=user.pk).exists():
            return establishment, True
        PendingChange.objects.get_or_create(
            kind=PendingChange.Kind.ATTACHMENT,
            requested_by=user,
            establishment=establishment,
            status=PendingChange.Status.PENDING,
        )
        return establishment, False


def _change_request(*, kind, user, target, fields, data, establishment=None) -> PendingChange | None:
    proposed = {}
    previous = {}
    for name in fields:
        if name in data and (data[name] or "") != (getattr(target, name) or ""):
            proposed[name] = data[name] or ""
            previous[name] = getattr(target, name) or ""
    with transaction.atomic():
        open_change = (
            PendingChange.objects.pending()
            .select_for_update()
            .filter(kind=kind, requested_by=user, establishment=establishment)
            .first()
        )
        if not proposed:
            # Back to the current values: nothing left to validate.
            if open_change:
                open_change.delete()
            return None
        change = open_change or PendingChange(kind=kind, requested_by=user, establishment=establishment)
        change.data = proposed
        change.previous = previous
        change.full_clean()
        change.save()
        return change


def establishment_change_request(*, user: User, establishment: Establishment, data: dict) -> PendingChange | None:
    """ "Modifier" an establishment: the proposed values wait for staff validation."""
    if not establishment.users.filter(pk=user.pk).exists():
        raise PermissionError("Not one of this member's establishments.")
    siret = data.get("siret")
    if siret and siret != establishment.siret and Establishment.objects.filter(siret=siret).exists():
        raise ValidationError({"siret": "Un autre établissement est déjà enregistré avec ce SIRET."})
    return _change_request(
        kind=PendingChange.Kind.ESTABLISHMENT,
        user=user,
        target=establishment,
        fields=ESTABLISHMENT_CHANGE_FIELDS,
        data=data,
        establishment=establishment,
    )


# Accounts -------------------------------------------------------------------------------


def user_register(
    *,
    email: str,
    password: str,
    first_name: str,
    last_name: str,
    function: str,
    establishment_phone: str,
    professional_phone: str = "",
    establishment: dict,
) -> User:
    """Creates a pending account attached to its establishment (found or created).

    The unique email is the guard against a double "Soumettre": the second request fails
    with EmailAlreadyRegistered and changes nothing.
    """
    email = email.strip().lower()
    validate_professional_email(email)
    if _email_taken(email):
        raise EmailAlreadyRegistered
    user = User(
        email=email,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        function=function.strip(),
        establishment_phone=establishment_phone.strip(),
        professional_phone=professional_phone.strip(),
        status=User.Status.PENDING,
    )
    validate_password(password, user)
    user.set_password(password)
    user.full_clean(exclude=["email"])
    with transaction.atomic():
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError:
            raise EmailAlreadyRegistered from None
        found, _ = establishment_resolve(data=establishment, requested_by=user)
        found.users.add(user)
        user_sync_market_permissions(user=user)  # the establishment may already subscribe
    return user


def user_registration_duplicate_notify(*, email: str) -> None:
    """Someone registered with an address that has an account: its owner is told by email,
    and the screen shows the usual thanks, so the form never reveals who has an account."""
    user = User.objects.filter(email__iexact=email.strip()).first()
    if user is None:
        return
    _email(
        to=user.email,
        subject="Vous avez déjà un compte CANUT",
        template_name="members/emails/account_exists.txt",
        context={
            "first_name": user.first_name,
            "login_path": reverse("members:login"),
            "reset_path": reverse("members:password_reset"),
        },
    )


def account_change_request(*, user: User, data: dict) -> PendingChange | None:
    """ "Modifier mon compte": the proposed values wait for staff validation."""
    email = (data.get("email") or "").strip().lower()
    if email and email != user.email:
        validate_professional_email(email)
        if _email_taken(email, exclude_pk=user.pk):
            raise EmailAlreadyRegistered
        data = {**data, "email": email}
    return _change_request(
        kind=PendingChange.Kind.ACCOUNT, user=user, target=user, fields=ACCOUNT_CHANGE_FIELDS, data=data
    )


# Staff decisions ------------------------------------------------------------------------


DECISION_FIELDS = ["status", "decided_at", "decided_by", "decision_reason"]


def _decide(obj, *, status, approved: bool, decided_by: User, reason: str) -> None:
    """Records a staff decision on the object and in Wagtail's history (site history report)."""
    obj.status = status
    obj.decided_at = timezone.now()
    obj.decided_by = decided_by
    obj.decision_reason = reason.strip()
    obj.save(update_fields=DECISION_FIELDS)
    log(
        instance=obj,
        action="members.approve" if approved else "members.reject",
        user=decided_by,
        data={"reason": obj.decision_reason},
    )


def _require_reason(reason: str) -> str:
    if not (reason or "").strip():
        raise ValidationError({"reason": "Indiquez le motif du refus : il est envoyé au demandeur."})
    return reason.strip()


@transaction.atomic
def account_approve(*, user: User, decided_by: User, reason: str = "") -> User:
    _decide(user, status=User.Status.ACTIVE, approved=True, decided_by=decided_by, reason=reason)
    _email(
        to=user.email,
        subject="Votre compte CANUT est activé",
        template_name="members/emails/account_approved.txt",
        context={"first_name": user.first_name, "login_path": reverse("members:login")},
    )
    return user


@transaction.atomic
def account_reject(*, user: User, decided_by: User, reason: str) -> User:
    reason = _require_reason(reason)
    _decide(user, status=User.Status.REJECTED, approved=False, decided_by=decided_by, reason=reason)
    _email(
        to=user.email,
        subject="Votre demande de compte CANUT",
        template_name="members/emails/account_rejected.txt",
        context={"first_name": user.first_name, "reason": reason},
    )
    return user


def _directory_learn(establishment: Establishment) -> None:
    """A validated establishment the directory did not know joins it: the next member
    searching for it finds it there, without asking the register."""
    if DirectoryEntry.objects.filter(siret=establishment.siret).exists():
        return
    entry = DirectoryEntry(**{name: getattr(establishment, name) for name in ESTABLISHMENT_FIELDS})
    directory_upsert(entries=[entry])


def _notify_establishment_users(establishment, *, subject, template_name, context):
    for user in establishment.users.filter(status=User.Status.ACTIVE):
        _email(
            to=user.email,
            subject=subject,
            template_name=template_name,
            context={"first_name": user.first_name, **context},
        )


@transaction.atomic
def establishment_approve(*, establishment: Establishment, decided_by: User, reason: str = "") -> Establishment:
    _decide(establishment, status=Establishment.Status.VALIDATED, approved=True, decided_by=decided_by, reason=reason)
    _directory_learn(establishment)
    _notify_establishment_users(
        establishment,
        subject="Votre établissement est validé",
        template_name="members/emails/establishment_decided.txt",
        context={"establishment": establishment.name, "approved": True, "reason": establishment.decision_reason},
    )
    return establishment


@transaction.atomic
def establishment_reject(*, establishment: Establishment, decided_by: User, reason: str) -> Establishment:
    reason = _require_reason(reason)
    _decide(establishment, status=Establishment.Status.REJECTED, approved=False, decided_by=decided_by, reason=reason)
    _notify_establishment_users(
        establishment,
        subject="Votre demande d'établissement",
        template_name="members/emails/establishment_decided.txt",
        context={"establishment": establishment.name, "approved": False, "reason": reason},
    )
    return establishment


def _apply(change: PendingChange) -> None:
    if change.kind == PendingChange.Kind.ATTACHMENT:
        change.establishment.users.add(change.requested_by)
        user_sync_market_permissions(user=change.requested_by)
        return
    target = change.establishment if change.kind == PendingChange.Kind.ESTABLISHMENT else change.requested_by
    for name, value in change.data.items():
        setattr(target, name, value)
    if change.kind == PendingChange.Kind.ACCOUNT and "email" in change.data:
        validate_professional_email(target.email)
        if _email_taken(target.email, exclude_pk=target.pk):
            raise EmailAlreadyRegistered
    target.full_clean(exclude=["password"] if change.kind == PendingChange.Kind.ACCOUNT else None)
    target.save()


@transaction.atomic
def pending_change_approve(*, change: PendingChange, decided_by: User, reason: str = "") -> PendingChange:
    """Applies the proposed values; refuses (ValidationError) if they no longer fit."""
    if change.status != PendingChange.Status.PENDING:
        raise ValidationError("Cette demande a déjà été traitée.")
    _apply(change)
    _decide(change, status=PendingChange.Status.APPROVED, approved=True, decided_by=decided_by, reason=reason)
    _email(
        to=change.requested_by.email,
        subject="Votre demande de modification est validée",
        template_name="members/emails/change_decided.txt",
        context={
            "first_name": change.requested_by.first_name,
            "what": str(change),
            "approved": True,
            "reason": change.decision_reason,
        },
    )
    return change


@transaction.atomic
def pending_change_reject(*, change: PendingChange, decided_by: User, reason: str) -> PendingChange:
    if change.status != PendingChange.Status.PENDING:
        raise ValidationError("Cette demande a déjà été traitée.")
    reason = _require_reason(reason)
    _decide(change, status=PendingChange.Status.REJECTED, approved=False, decided_by=decided_by, reason=reason)
    _email(
        to=change.requested_by.email,
        subject="Votre demande de modification",
        template_name="members/emails/change_decided.txt",
        context={
            "first_name": change.requested_by.first_name,
            "what": str(change),
            "approved": False,
            "reason": reason,
        },
    )
    return change


# Directory ------------------------------------------------------------------------------


def directory_upsert(*, entries: list[DirectoryEntry]) -> dict[str, int]:
    """Inserts new entries, updates changed ones, leaves the same ones alone; keeps each
    entry's search words in step. Returns {"imported", "updated", "unchanged"}."""
    counts = {"imported": 0, "updated": 0, "unchanged": 0}
    if not entries:
        return counts
    by_siret = {entry.siret: entry for entry in entries}
    with transaction.atomic():
        existing = {e.siret: e for e in DirectoryEntry.objects.filter(siret__in=list(by_siret))}
        to_create, to_update = [], []
        for siret, entry in by_siret.items():
            entry.name_folded = fold_name(entry.name)
            current = existing.get(siret)
            if current is None:
                to_create.append(entry)
            elif any(getattr(current, f) != getattr(entry, f) for f in DirectoryEntry.DATA_FIELDS):
                for name in DirectoryEntry.DATA_FIELDS:
                    setattr(current, name, getattr(entry, name))
                current.name_folded = entry.name_folded
                current.updated_at = timezone.now()
                to_update.append(current)
            else:
                counts["unchanged"] += 1
        DirectoryEntry.objects.bulk_create(to_create)
        if to_create and to_create[0].pk is None:  # databases that return no ids
            ids = dict(DirectoryEntry.objects.filter(siret__in=[e.siret for e in to_create]).values_list("siret", "pk"))
            for entry in to_create:
                entry.pk = ids[entry.siret]
        DirectoryEntry.objects.bulk_update(to_update, [*DirectoryEntry.DATA_FIELDS, "name_folded", "updated_at"])
        DirectoryWord.objects.filter(entry__in=to_update).delete()
        DirectoryWord.objects.bulk_create(
            [
                DirectoryWord(entry_id=entry.pk, word=word[:60])
                for entry in (*to_create, *to_update)
                for word in entry.words()
            ]
        )
    counts["imported"] = len(to_create)
    counts["updated"] = len(to_update)
    return counts
