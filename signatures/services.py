"""Writes of the signed-convention journey: the member returns it, the central countersigns.

Both go through the subscription's own staff steps (subscriptions.services, hence one
record of who and when in Wagtail's history): the upload is the step "reçue", the seal
the step "finalisée".
"""

import base64

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.emails import email_send
from core.site_settings import site_settings
from members.models import User
from subscriptions import services as subscription_services
from subscriptions.models import Subscription, SubscriptionStatus

from .models import SignedConvention, TrustedList
from .seal import SealUnavailable, apply_seal
from .trust import TrustedListError, parse_trusted_list
from .verification import UnreadablePdf, default_limits, verify_pdf


def read_upload(file) -> bytes:
    """The bytes of an uploaded PDF, refused by its size before anything is read."""
    limits = default_limits()
    size = getattr(file, "size", 0) or 0
    if size > limits.max_bytes:
        raise ValidationError(
            f"Le fichier pèse {size / 1024 / 1024:.1f} Mo : la limite est de "
            f"{limits.max_bytes // 1024 // 1024} Mo.".replace(".", ","),
            code="size",
        )
    file.seek(0)
    data = file.read(limits.max_bytes + 1)
    file.seek(0)
    return data


def pdf_report(data: bytes) -> dict:
    """The verification report, or ValidationError with the French reason it cannot be made."""
    try:
        return verify_pdf(data)
    except UnreadablePdf as error:
        raise ValidationError(str(error), code="unreadable") from None


def _tell_staff(subscription: Subscription, signed: SignedConvention) -> None:
    configured = site_settings()
    address = getattr(configured, "contact_email", "") if configured is not None else ""
    email_send(
        to=[address],
        template="signatures/emails/convention_returned",
        context={
            "market": subscription.market.title,
            "establishment": subscription.establishment.name,
            "siret": subscription.establishment.siret,
            "verdict": signed.verdict,
            "admin_path": reverse("subscriptions_admin:inspect", args=[subscription.pk]),
        },
    )


def signed_convention_upload(*, subscription: Subscription, file, by: User) -> SignedConvention:
    """The member returns the signed convention: it is verified, stored under a generated
    name, the subscription becomes "reçue" today and staff are told. A PDF without an
    electronic signature (a scan) is accepted and marked so: staff decide."""
    if not subscription.establishment.users.filter(pk=by.pk).exists():
        raise ValidationError("Seuls les utilisateurs de l'établissement signataire déposent la convention.")
    data = read_upload(file)
    report = pdf_report(data)  # outside the transaction: the parse takes its budget, not a lock
    with transaction.atomic():
        locked = Subscription.objects.select_for_update().get(pk=subscription.pk)
        if locked.status != SubscriptionStatus.SENT or SignedConvention.objects.filter(subscription=locked).exists():
            raise ValidationError("La convention de cette souscription a déjà été reçue.")
        subscription_services.subscription_mark_received(subscription=locked, on=timezone.localdate(), by=by)
        signed = SignedConvention(
            subscription=locked,
            original_name=(getattr(file, "name", "") or "")[:255],
            uploaded_by=by,
            verdict=report["verdict"][:120],
            report=report,
        )
        signed.file.save("convention.pdf", ContentFile(data), save=False)
        signed.save()
        _tell_staff(locked, signed)
    subscription.refresh_from_db()
    return signed


def signed_convention_countersign(*, subscription: Subscription, by: User) -> Subscription:
    """Staff apply the central's seal to the member's signed convention: the result, with
    both signatures, is the countersigned convention and the subscription is finalized
    (the member is emailed it, as with an uploaded countersigned scan)."""
    signed = SignedConvention.objects.filter(subscription=subscription).first()
    if signed is None:
        raise ValidationError("Aucune convention signée n'a été déposée dans le portail pour cette souscription.")
    if not subscription.is_live:
        raise ValidationError("Cette souscription est annulée.")
    if subscription.finalized_on:
        raise ValidationError("Cette souscription est déjà finalisée.")
    with signed.file.open("rb") as handle:
        data = handle.read()
    try:
        sealed = apply_seal(data)
    except SealUnavailable as error:
        raise ValidationError(str(error)) from None
    with transaction.atomic():
        subscription_services.subscription_finalize(
            subscription=subscription, countersigned=ContentFile(sealed, name="convention.pdf"), by=by
        )
        SignedConvention.objects.filter(pk=signed.pk).update(countersigned_at=timezone.now(), countersigned_by=by)
    return subscription


def trusted_list_import(*, data: bytes, source: str, by: User | None = None) -> TrustedList:
    """A trusted list (ETSI TS 119 612 XML) becomes the one in force."""
    try:
        parsed = parse_trusted_list(data)
    except TrustedListError as error:
        raise ValidationError(str(error), code="trusted_list") from None
    return TrustedList.objects.create(
        territory=parsed.territory,
        operator=parsed.operator,
        sequence=parsed.sequence,
        issued_at=parsed.issued_at[:40],
        next_update=parsed.next_update[:40],
        source=source[:255],
        services=[
            {"name": s.name, "kind": s.kind, "certificate": base64.b64encode(s.certificate).decode()}
            for s in parsed.services
        ],
        imported_by=by,
    )
