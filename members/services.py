"""Writes of the members app: keyword-only, typed, validated with full_clean(), atomic.

Views call these and nothing else to change members' data; staff decisions go through
members.decisions, which takes the one decision path (core.decisions.decide).
"""

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from core.emails import email_send
from core.validators import validate_professional_email
from directory.models import DirectoryEntry

from . import confirmation
from .models import Establishment, JoinObjection, PendingChange, User
from .signals import user_establishments_changed

DUPLICATE_EMAIL_MESSAGE = (
    "Un compte existe déjà avec cette adresse e-mail. Connectez-vous, ou utilisez « Mot de passe "
    "oublié ? » si vous ne vous en souvenez plus."
)


class EmailAlreadyRegistered(ValidationError):
    def __init__(self):
        super().__init__({"email": DUPLICATE_EMAIL_MESSAGE}, code="duplicate_email")


def email_taken(email: str, *, exclude_pk=None) -> bool:
    users = User.objects.filter(email__iexact=email)
    if exclude_pk is not None:
        users = users.exclude(pk=exclude_pk)
    return users.exists()


def attach(*, user: User, establishment: Establishment) -> None:
    establishment.users.add(user)
    user_establishments_changed.send(sender=User, user=user)


# Establishments -------------------------------------------------------------------------

LAST_USER_MESSAGE = (
    "Vous êtes le dernier utilisateur de « {name} », qui a des souscriptions en cours : "
    "contactez la CANUT pour désigner la personne qui les suivra avant de quitter cet établissement."
)


def establishment_leave_refusal(*, user: User, establishment: Establishment) -> str:
    """Why `user` cannot leave `establishment` ("" if they can): said on the confirmation
    page before "Confirmer", and checked again under lock when they confirm."""
    if establishment.users.exclude(pk=user.pk).exists():
        return ""
    # Its own subscriptions only: a groupement's is followed by the parent's users.
    # (The reverse relation by name: members imports nothing above it.)
    if establishment.subscriptions.filter(cancelled_on__isnull=True).exists():
        return LAST_USER_MESSAGE.format(name=establishment.name)
    return ""


def establishment_leave(*, user: User, establishment: Establishment) -> None:
    """The user leaves one of their establishments ("Supprimer" on "Mes établissements").

    The last user of an establishment with live subscriptions cannot: someone must follow
    them, and only staff can name that person. The establishment itself stays.
    """
    with transaction.atomic():
        # Locked, so two users leaving at once cannot both think the other stays.
        establishment = Establishment.objects.select_for_update().get(pk=establishment.pk)
        if refusal := establishment_leave_refusal(user=user, establishment=establishment):
            raise ValidationError(refusal, code="last_user")
        establishment.users.remove(user)
    user_establishments_changed.send(sender=User, user=user)


def establishment_resolve(
    *, data: dict, requested_by: User | None, trust_directory: bool = True
) -> tuple[Establishment, bool]:
    """The establishment a member names by SIRET: the known one, else a new one.

    A SIRET already registered reuses that establishment as it is. A SIRET of the directory
    creates the establishment from the directory (reference data, the member's Chorus code
    kept), validated at once when `trust_directory` (a registration, which staff validate
    with the account), else pending staff validation like anything created as typed.
    """
    siret = data["siret"]
    existing = Establishment.objects.filter(siret=siret).first()
    if existing:
        return existing, False
    values = {name: data.get(name, "") or "" for name in Establishment.CHANGEABLE_FIELDS}
    status = Establishment.Status.PENDING
    entry = DirectoryEntry.objects.filter(siret=siret).first()
    if entry:
        values.update(entry.as_establishment_data())
        if trust_directory:
            status = Establishment.Status.VALIDATED
    establishment = Establishment(status=status, created_by=requested_by, **values)
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

    An establishment nobody registered is created pending, even from the directory (staff
    validate it before anything is subscribed in its name, and before its member hears of
    anyone else asking to join it) and the member attached to it. Joining an establishment
    already registered, with users or without, is a request staff decide.
    """
    with transaction.atomic():
        establishment, created = establishment_resolve(data=data, requested_by=user, trust_directory=False)
        if created:
            establishment.users.add(user)
            return establishment, True
        if establishment.users.filter(pk=user.pk).exists():
            return establishment, True
        change, new = join_request_open(user=user, establishment=establishment)
        if new and user.email_confirmed:
            join_request_notify(change=change)
        return establishment, False


def join_request_open(*, user: User, establishment: Establishment) -> tuple[PendingChange, bool]:
    """The user asks to join an establishment already registered: staff decide (once open)."""
    return PendingChange.objects.get_or_create(
        kind=PendingChange.Kind.ATTACHMENT,
        requested_by=user,
        establishment=establishment,
        status=PendingChange.Status.PENDING,
    )


def establishment_vouched_users(establishment: Establishment):
    """The users staff vouched for: active accounts of a validated establishment.

    Only they hear of, see and may object to a request to join it: the member who added a
    pending establishment from the directory ("+ Ajouter") is not its staff until the
    CANUT says so, and must not receive the names of those who really are.
    """
    if establishment.status != Establishment.Status.VALIDATED:
        return User.objects.none()
    return establishment.users.filter(is_active=True, status=User.Status.ACTIVE)


def join_request_notify(*, change: PendingChange) -> None:
    """The establishment's vouched users hear that someone asks to join it, and where to
    object. The email names the requester and quotes nothing else they typed (their function
    is free text: a stranger's words must not reach a third party in our name)."""
    requester = change.requested_by
    for user in establishment_vouched_users(change.establishment):
        email_send(
            to=[user.email],
            template="members/emails/join_requested",
            context={
                "first_name": user.first_name,
                "requester": requester.get_full_name(),
                "establishment": change.establishment.name,
                "objection_path": reverse("members:join_objection", args=[change.pk]),
            },
        )


def join_request_object(*, change: PendingChange, user: User, reason: str) -> JoinObjection:
    """A user of the establishment objects to a pending request to join it (one objection
    each, the last reason kept); staff read it before deciding."""
    if (
        change.kind != PendingChange.Kind.ATTACHMENT
        or not change.is_pending
        or not establishment_vouched_users(change.establishment).filter(pk=user.pk).exists()
    ):
        raise PermissionError("Not a pending request to join one of this user's establishments.")
    objection = JoinObjection.objects.filter(change=change, user=user).first() or JoinObjection(
        change=change, user=user
    )
    objection.reason = (reason or "").strip()
    objection.full_clean()
    objection.save()
    return objection


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
        fields=Establishment.CHANGEABLE_FIELDS,
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
    """Creates a pending account and emails it the link that confirms its address.

    The account is attached to its establishment when this registration creates it (staff
    validate the account and see it); joining any establishment that already exists, with
    users or without (a groupement's spreadsheet creates some), is a request (PendingChange
    of kind ATTACHMENT) staff decide, which its vouched users hear of once the address is
    confirmed.
    The unique email is the guard against a double "Soumettre": the second request fails
    with EmailAlreadyRegistered and changes nothing.
    """
    email = email.strip().lower()
    validate_professional_email(email)
    if email_taken(email):
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
        found, created = establishment_resolve(data=establishment, requested_by=user)
        if created:
            attach(user=user, establishment=found)
        else:
            join_request_open(user=user, establishment=found)
        email_confirmation_send(user=user)
    return user


# Email confirmation -------------------------------------------------------------------------


def email_confirmation_send(*, user: User) -> None:
    email_send(
        to=[user.email],
        template="members/emails/confirm_email",
        context={
            "first_name": user.first_name,
            "confirm_path": reverse("members:email_confirm", args=[confirmation.token_for(user)]),
            "days": settings.EMAIL_CONFIRMATION_MAX_AGE // (24 * 3600),
            "resend_path": reverse("members:email_confirm_resend"),
        },
    )


def email_confirmation_resend(*, email: str) -> None:
    """A new link for an account still waiting for it; nothing for any other address (the
    screen says the same either way)."""
    user = User.objects.filter(email__iexact=email.strip(), email_confirmed_at__isnull=True).first()
    if user is not None and user.status == User.Status.PENDING:
        email_confirmation_send(user=user)


def user_confirm_email(*, token: str) -> User:
    """Follows the emailed link: the address is confirmed, the account now waits for staff
    and the users of an establishment it asks to join hear of it.

    Raises confirmation.LinkInvalid (tampered, or for an address the account no longer has),
    LinkExpired, or LinkUsed (confirmed already).
    """
    pk, email = confirmation.read_token(token)
    with transaction.atomic():
        user = User.objects.select_for_update().filter(pk=pk).first()
        if user is None or user.email.lower() != email.lower():
            raise confirmation.LinkInvalid
        if user.email_confirmed:
            raise confirmation.LinkUsed
        user.email_confirmed_at = timezone.now()
        user.save(update_fields=["email_confirmed_at"])
        for change in PendingChange.objects.pending().filter(requested_by=user, kind=PendingChange.Kind.ATTACHMENT):
            join_request_notify(change=change)
    return user


def user_registration_duplicate_notify(*, email: str) -> None:
    """Someone registered with an address that has an account: its owner is told by email,
    and the screen shows the usual thanks, so the form never reveals who has an account."""
    user = User.objects.filter(email__iexact=email.strip()).first()
    if user is None:
        return
    if user.status == User.Status.PENDING and not user.email_confirmed:
        # Its owner registered and lost the link: a new one is what they need.
        email_confirmation_send(user=user)
        return
    email_send(
        to=[user.email],
        template="members/emails/account_exists",
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
        if email_taken(email, exclude_pk=user.pk):
            raise EmailAlreadyRegistered
        data = {**data, "email": email}
    return _change_request(
        kind=PendingChange.Kind.ACCOUNT, user=user, target=user, fields=User.CHANGEABLE_FIELDS, data=data
    )
