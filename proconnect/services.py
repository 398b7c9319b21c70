"""Writes of the ProConnect sign-in: registering an agent from their identity, linking an
existing account once its owner proved it. The rules of members apply unchanged: a new
account waits for staff, joining an establishment already registered is a request staff
decide, unless staff trust the `siret` claim (ProConnectSettings) for a validated one."""

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from core.emails import email_send
from core.validators import validate_professional_email
from directory.models import DirectoryEntry
from members.models import Establishment, User
from members.services import (
    EmailAlreadyRegistered,
    attach,
    email_taken,
    establishment_resolve,
    establishment_vouched_users,
    join_request_notify,
    join_request_open,
)

from .identity import Identity
from .models import ProConnectIdentity

LINK_SALT = "proconnect.link"
LINK_MAX_AGE = 3600  # seconds
ALREADY_LINKED = "Cette identité ProConnect est déjà liée à un autre compte."


def account_for_identity(identity: Identity) -> tuple[str, User | None]:
    """("linked", user) when this `sub` is linked; ("known", user) when an account has its
    email (it must be proved before any link); ("unknown", None) otherwise."""
    link = ProConnectIdentity.objects.select_related("user").filter(sub=identity.sub).first()
    if link:
        return "linked", link.user
    user = User.objects.filter(email__iexact=identity.email).first()
    return ("known", user) if user else ("unknown", None)


def establishment_for_siret(siret: str) -> dict | None:
    """The establishment the `siret` claim names: the registered one, else the directory's."""
    if not siret:
        return None
    known = Establishment.objects.filter(siret=siret).first()
    if known:
        return {name: getattr(known, name) or "" for name in Establishment.CHANGEABLE_FIELDS}
    entry = DirectoryEntry.objects.filter(siret=siret).first()
    return entry.as_establishment_data() if entry else None


def identity_link(*, user: User, identity: Identity) -> ProConnectIdentity:
    """Links the identity to `user` (once proved: never call this on an email match alone)."""
    link = ProConnectIdentity.objects.filter(sub=identity.sub).first()
    if link:
        if link.user_id != user.pk:
            raise ValidationError(ALREADY_LINKED, code="linked_elsewhere")
        return link
    try:
        with transaction.atomic():
            return ProConnectIdentity.objects.create(
                user=user, sub=identity.sub, idp_id=identity.idp_id, siret=identity.siret
            )
    except IntegrityError:
        raise ValidationError(ALREADY_LINKED, code="linked_elsewhere") from None


def agent_register(
    *,
    identity: Identity,
    function: str,
    establishment_phone: str,
    professional_phone: str = "",
    establishment: dict,
    trust_siret: bool,
) -> tuple[User, bool]:
    """Creates the pending account of an agent ProConnect identified; returns (user, joined
    at once).

    No confirmation link: ProConnect's identity provider verified the address. No password:
    the agent signs in with ProConnect (and may set one later through "Mot de passe oublié ?").
    The establishment is resolved as at any registration; joining one already registered is
    a request staff decide and its users hear of, unless `trust_siret` and the establishment
    is validated and is the one ProConnect named: then the agent joins now and its users are
    told.
    """
    validate_professional_email(identity.email)
    if email_taken(identity.email) or ProConnectIdentity.objects.filter(sub=identity.sub).exists():
        raise EmailAlreadyRegistered
    user = User(
        email=identity.email,
        first_name=identity.first_name,
        last_name=identity.last_name,
        function=function.strip(),
        establishment_phone=establishment_phone.strip(),
        professional_phone=professional_phone.strip(),
        status=User.Status.PENDING,
        email_confirmed_at=timezone.now(),
    )
    user.set_unusable_password()
    user.full_clean(exclude=["email", "password"])
    joined = False
    with transaction.atomic():
        try:
            with transaction.atomic():
                user.save()
                ProConnectIdentity.objects.create(
                    user=user, sub=identity.sub, idp_id=identity.idp_id, siret=identity.siret
                )
        except IntegrityError:
            raise EmailAlreadyRegistered from None
        found, created = establishment_resolve(data=establishment, requested_by=user)
        if created:
            attach(user=user, establishment=found)
        elif (
            trust_siret
            and identity.siret
            and found.siret == identity.siret
            and found.status == Establishment.Status.VALIDATED
        ):
            colleagues = list(establishment_vouched_users(found))
            attach(user=user, establishment=found)
            joined = True
            _joined_notify(user=user, establishment=found, colleagues=colleagues)
        else:
            change, _ = join_request_open(user=user, establishment=found)
            join_request_notify(change=change)
    return user, joined


def _joined_notify(*, user: User, establishment: Establishment, colleagues) -> None:
    for colleague in colleagues:
        email_send(
            to=[colleague.email],
            template="proconnect/emails/joined",
            context={
                "first_name": colleague.first_name,
                "newcomer": user.get_full_name(),
                "establishment": establishment.name,
                "establishments_path": reverse("members:establishments"),
            },
        )


# Proving an existing account by an emailed link ---------------------------------------------


def link_token_for(*, user: User, identity: Identity) -> str:
    return signing.dumps(
        {"u": user.pk, "e": user.email, "s": identity.sub, "i": identity.idp_id, "t": identity.siret},
        salt=LINK_SALT,
        compress=True,
    )


def link_email_send(*, user: User, identity: Identity) -> None:
    email_send(
        to=[user.email],
        template="proconnect/emails/link",
        context={
            "first_name": user.first_name,
            "link_path": reverse("proconnect:link_confirm", args=[link_token_for(user=user, identity=identity)]),
            "minutes": LINK_MAX_AGE // 60,
        },
    )


def link_by_token(*, token: str) -> User:
    """Follows the emailed link: the identity it names is linked to the account it was sent
    to (which still has that address). ValidationError when the link is expired or forged."""
    try:
        data = signing.loads(token, salt=LINK_SALT, max_age=LINK_MAX_AGE)
    except signing.SignatureExpired:
        raise ValidationError(
            "Ce lien a expiré : reconnectez-vous avec ProConnect pour en recevoir un autre."
        ) from None
    except signing.BadSignature:
        raise ValidationError("Ce lien n'est pas valide : copiez-le en entier depuis l'e-mail.") from None
    user = User.objects.filter(pk=data.get("u")).first()
    if user is None or user.email.lower() != str(data.get("e", "")).lower():
        raise ValidationError("Ce lien n'est pas valide : copiez-le en entier depuis l'e-mail.")
    identity = Identity(
        sub=data["s"], email=user.email, first_name="", last_name="", siret=data.get("t", ""), idp_id=data.get("i", "")
    )
    identity_link(user=user, identity=identity)
    return user


def post_logout_redirect_uri() -> str:
    return settings.PORTAL_BASE_URL.rstrip("/") + reverse("proconnect:logged_out")


def callback_uri() -> str:
    return settings.PORTAL_BASE_URL.rstrip("/") + reverse("proconnect:callback")
