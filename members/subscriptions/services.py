"""Writes of the subscription journey. Keyword-only, typed; views stay thin.

Access to a market's pieces is a django-guardian permission on the MarketPage
(markets.access.PIECES_PERMISSION), held by each user of a subscribing establishment.
"""

import datetime
import zipfile
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile, File
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from guardian.models import UserObjectPermission
from guardian.shortcuts import assign_perm, remove_perm

from markets.access import PIECES_PERMISSION
from markets.models import MarketPage
from members.models import AssociationStanding, Establishment, Groupement, Subscription, User

from . import tasks
from .conventions import generate_convention

COUNTERSIGNED_MAX_SIZE = 10 * 1024 * 1024


@dataclass(frozen=True)
class SubscriptionRequestResult:
    subscription: Subscription
    created: bool


# Access ---------------------------------------------------------------------------------


def _covered_users(*, establishment: Establishment, groupement=None):
    """The users who see the pieces of a subscription of `establishment` (for `groupement`)."""
    covered = Q(establishments=establishment)
    if groupement is not None:
        covered |= Q(establishments__groupement_memberships__groupement=groupement)
    return User.objects.filter(covered).distinct()


def _grant_market_to_establishment_users(*, market: MarketPage, establishment: Establishment, groupement=None) -> None:
    users = _covered_users(establishment=establishment, groupement=groupement)
    assign_perm(PIECES_PERMISSION, users, market)


def _revoke_market_from_establishment_users(
    *, market: MarketPage, establishment: Establishment, groupement=None
) -> None:
    """Take the permission back, except from users another live subscription still covers."""
    live = Subscription.objects.live().filter(market=market)
    still_covered = User.objects.filter(
        Q(establishments__subscriptions__in=live)
        | Q(establishments__groupement_memberships__groupement__subscriptions__in=live)
    ).values("pk")
    users = _covered_users(establishment=establishment, groupement=groupement).exclude(pk__in=still_covered)
    remove_perm(PIECES_PERMISSION, users, market)


def establishment_sync_market_permissions(*, establishment: Establishment) -> int:
    """Grant every user of `establishment` the pieces of each market it has a live subscription to,
    its own or one of a groupement it belongs to.

    Call it when a user is attached to an establishment. Returns the number of markets.
    """
    live = Subscription.objects.live()
    markets = MarketPage.objects.filter(
        Q(subscriptions__in=live.filter(establishment=establishment))
        | Q(subscriptions__in=live.filter(groupement__members__establishment=establishment))
    ).distinct()
    count = 0
    for market in markets:
        assign_perm(PIECES_PERMISSION, User.objects.filter(establishments=establishment), market)
        count += 1
    return count


def user_sync_market_permissions(*, user: User) -> None:
    """Make `user`'s pieces permissions match the live subscriptions of their establishments.

    For a user attached to or detached from an establishment: grants what is covered, takes
    back what no longer is.
    """
    covered = set(
        Subscription.objects.live()
        .filter(Q(establishment__users=user) | Q(groupement__members__establishment__users=user))
        .values_list("market_id", flat=True)
    )
    held = set(
        UserObjectPermission.objects.filter(
            user=user,
            permission__codename=PIECES_PERMISSION.split(".")[1],
            permission__content_type__app_label="markets",
        ).values_list("object_pk", flat=True)
    )
    held = {int(pk) for pk in held}
    for market in MarketPage.objects.filter(pk__in=covered - held):
        assign_perm(PIECES_PERMISSION, user, market)
    stale = MarketPage.objects.filter(pk__in=held - covered)
    if stale:
        remove_perm(PIECES_PERMISSION, user, stale)


# Request --------------------------------------------------------------------------------


def subscription_request(
    *,
    user: User,
    market: MarketPage,
    establishment: Establishment,
    association_standing: str = "",
    groupement: Groupement | None = None,
) -> SubscriptionRequestResult:
    """ "Préparer sa souscription": the convention is generated and emailed, the pieces open.

    For a `groupement` (validated, led by `establishment`), the convention's annex 1 lists
    its children and every child establishment's users get the pieces at once.
    Asking again (or a double click) returns the live subscription already there: the
    partial unique constraints settle races, get_or_create reads the winner back.
    """
    if not user.is_active_member:
        raise PermissionDenied("Seuls les adhérents dont le compte est validé peuvent souscrire.")
    if establishment.status != Establishment.Status.VALIDATED or not establishment.users.filter(pk=user.pk).exists():
        raise PermissionDenied(
            "Vous ne pouvez souscrire que pour un établissement validé auquel votre compte est associé."
        )
    if groupement is not None and (
        groupement.parent_id != establishment.pk or groupement.status != Groupement.Status.VALIDATED
    ):
        raise PermissionDenied(
            "Vous ne pouvez souscrire que pour un groupement validé par la CANUT "
            "dont votre établissement est le parent."
        )
    if not market.live:
        raise PermissionDenied("Ce marché n'est pas publié.")
    if association_standing and association_standing not in AssociationStanding.values:
        raise ValidationError({"association_standing": "Choix invalide."})

    with transaction.atomic():
        subscription, created = Subscription.objects.get_or_create(
            market=market,
            establishment=establishment,
            groupement=groupement,
            cancelled_on__isnull=True,
            defaults={"requested_by": user, "association_standing": association_standing},
        )
        if not created:
            return SubscriptionRequestResult(subscription=subscription, created=False)
        _grant_market_to_establishment_users(market=market, establishment=establishment, groupement=groupement)
        convention = generate_convention(
            market=market, establishment=establishment, user=user, on=subscription.sent_on, groupement=groupement
        )
        subscription.convention.save(convention.name, ContentFile(convention.content), save=True)
        transaction.on_commit(lambda: tasks.send_convention_email.enqueue(subscription.pk))
    return SubscriptionRequestResult(subscription=subscription, created=True)


# Staff steps ----------------------------------------------------------------------------


def _check_date(on: datetime.date, subscription: Subscription, field: str) -> None:
    if on > timezone.localdate():
        raise ValidationError({field: "La date ne peut pas être dans le futur."})
    if on < subscription.sent_on:
        raise ValidationError({field: "La date ne peut pas précéder l'envoi de la convention."})


def _check_live(subscription: Subscription) -> None:
    if not subscription.is_live:
        raise ValidationError("Cette souscription est annulée.")


def subscription_mark_received(*, subscription: Subscription, on: datetime.date | None = None) -> Subscription:
    """Staff got the signed convention back (by email): the member sees "Convention reçue"."""
    on = on or timezone.localdate()
    _check_live(subscription)
    if subscription.finalized_on:
        raise ValidationError("Cette souscription est déjà finalisée.")
    _check_date(on, subscription, "received_on")
    subscription.received_on = on
    subscription.save(update_fields=["received_on"])
    return subscription


def validate_countersigned_file(file: File) -> str:
    """Check a countersigned convention by its content, not only its name. Returns "pdf" or "docx"."""
    size = getattr(file, "size", None) or 0
    if size == 0:
        raise ValidationError("Le fichier est vide.", code="empty")
    if size > COUNTERSIGNED_MAX_SIZE:
        raise ValidationError(
            f"Le fichier pèse {size / 1024 / 1024:.1f} Mo : "
            f"la limite est de {COUNTERSIGNED_MAX_SIZE // 1024 // 1024} Mo.",
            code="size",
        )
    extension = (file.name or "").rsplit(".", 1)[-1].lower() if "." in (file.name or "") else ""
    if extension not in {"pdf", "docx"}:
        raise ValidationError(
            "Déposez la convention contresignée au format PDF (.pdf) ou Word (.docx).", code="extension"
        )
    file.seek(0)
    head = file.read(5)
    file.seek(0)
    if extension == "pdf":
        if head != b"%PDF-":
            raise ValidationError("Ce fichier porte l'extension .pdf mais n'est pas un PDF.", code="content")
        return extension
    try:
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        names = set()
    finally:
        file.seek(0)
    if not {"[Content_Types].xml", "word/document.xml"} <= names:
        raise ValidationError("Ce fichier porte l'extension .docx mais n'est pas un document Word.", code="content")
    return extension


def subscription_finalize(
    *, subscription: Subscription, countersigned: File, on: datetime.date | None = None
) -> Subscription:
    """Staff uploads the countersigned convention: the subscription is finalized, the member told."""
    on = on or timezone.localdate()
    _check_live(subscription)
    if subscription.finalized_on:
        raise ValidationError("Cette souscription est déjà finalisée.")
    _check_date(on, subscription, "finalized_on")
    extension = validate_countersigned_file(countersigned)
    market_slug = slugify(subscription.market.title)[:60]
    name = f"convention-contresignee-{market_slug}-{subscription.establishment.siret}.{extension}"
    with transaction.atomic():
        subscription.received_on = subscription.received_on or on
        subscription.finalized_on = on
        subscription.countersigned_convention.save(name, countersigned, save=False)
        subscription.save(update_fields=["received_on", "finalized_on", "countersigned_convention"])
        transaction.on_commit(lambda: tasks.send_finalized_email.enqueue(subscription.pk))
    return subscription


def subscription_cancel(*, subscription: Subscription, reason: str, on: datetime.date | None = None) -> Subscription:
    """Cancel, and take the pieces back from users no other live subscription covers."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"cancel_reason": "Indiquez le motif de l'annulation."})
    _check_live(subscription)
    with transaction.atomic():
        subscription.cancelled_on = on or timezone.localdate()
        subscription.cancel_reason = reason
        subscription.save(update_fields=["cancelled_on", "cancel_reason"])
        _revoke_market_from_establishment_users(
            market=subscription.market, establishment=subscription.establishment, groupement=subscription.groupement
        )
    return subscription
