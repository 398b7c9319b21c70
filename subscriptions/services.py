"""Writes of the subscription journey. Keyword-only, typed; views stay thin.

Access to the market's pieces follows the live subscriptions (see permissions.py).
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from core.actions import record_step
from core.emails import email_send
from core.errors import Refusal
from core.files import check_upload
from groupements.models import Groupement
from markets.models import MarketPage
from members.models import Establishment, User

from . import permissions
from .conventions import generate_convention
from .models import AssociationStanding, Subscription

COUNTERSIGNED_MAX_SIZE = 10 * 1024 * 1024
COUNTERSIGNED_MAX_INFLATED = 100 * 1024 * 1024  # a scanned convention's images barely compress
# Staff steps in Wagtail's history (labels: wagtail_hooks.py).
RECEIVED_ACTION = "subscriptions.received"
FINALIZED_ACTION = "subscriptions.finalized"
CANCELLED_ACTION = "subscriptions.cancelled"


@dataclass(frozen=True)
class SubscriptionRequestResult:
    subscription: Subscription
    created: bool


def _email(subscription: Subscription, *, template: str, attachment) -> None:
    """To the requesting user, or the establishment's users if that account is gone."""
    if subscription.requested_by_id and subscription.requested_by.is_active:
        to = [subscription.requested_by.email]
    else:
        to = subscription.establishment.users.filter(is_active=True).values_list("email", flat=True)
    context = {
        "market": {"title": subscription.market.title},
        "establishment": {"name": subscription.establishment.name},
    }
    if subscription.groupement_id:
        children = subscription.groupement.members.select_related("establishment").order_by("establishment__name")
        context["groupement"] = {
            "name": subscription.groupement.name,
            "children": [member.establishment.name for member in children],
        }
    email_send(to=to, template=template, context=context, attachments=[attachment.name])


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
        raise Refusal(
            "Seuls les adhérents dont le compte est validé peuvent souscrire.",
            action_url=reverse("members:account"),
            action_label="Voir mon compte",
        )
    if establishment.status != Establishment.Status.VALIDATED or not establishment.users.filter(pk=user.pk).exists():
        raise Refusal(
            "Vous ne pouvez souscrire que pour un établissement validé auquel votre compte est associé.",
            action_url=reverse("members:establishments"),
            action_label="Mes établissements",
        )
    if groupement is not None and (
        groupement.parent_id != establishment.pk or groupement.status != Groupement.Status.VALIDATED
    ):
        raise Refusal(
            "Vous ne pouvez souscrire que pour un groupement validé par la CANUT "
            "dont votre établissement est le parent.",
            action_url=reverse("groupements:list"),
            action_label="Mes groupements",
        )
    if not market.live:
        raise Refusal(
            "Ce marché n'est pas publié.", action_url=reverse("search:results"), action_label="Rechercher un marché"
        )
    if closed := market.subscription_closed_reason:
        raise Refusal(closed, action_url=market.url, action_label="Voir le marché")
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
        permissions.market_grant(market=market, establishment=establishment, groupement=groupement)
        convention = generate_convention(
            market=market, establishment=establishment, user=user, on=subscription.sent_on, groupement=groupement
        )
        subscription.convention.save(convention.name, ContentFile(convention.content), save=True)
        _email(subscription, template="subscriptions/emails/convention_sent", attachment=subscription.convention)
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


def subscription_mark_received(
    *, subscription: Subscription, on: datetime.date | None = None, by: User | None = None
) -> Subscription:
    """Staff got the signed convention back (by email): the member sees "Convention reçue"."""
    on = on or timezone.localdate()

    def perform(locked: Subscription) -> Subscription:
        _check_live(locked)
        if locked.finalized_on:
            raise ValidationError("Cette souscription est déjà finalisée.")
        _check_date(on, locked, "received_on")
        locked.received_on = on
        locked.save(update_fields=["received_on"])
        return locked

    return record_step(instance=subscription, action=RECEIVED_ACTION, by=by, perform=perform, data={"on": str(on)})


def validate_countersigned_file(file: File) -> str:
    """Check a countersigned convention by its content, not only its name. Returns "pdf" or "docx"."""
    return check_upload(
        file,
        extensions={"pdf", "docx"},
        max_bytes=COUNTERSIGNED_MAX_SIZE,
        max_inflated_bytes=COUNTERSIGNED_MAX_INFLATED,
        messages={"extension": "Déposez la convention contresignée au format PDF (.pdf) ou Word (.docx)."},
    )


def subscription_finalize(
    *, subscription: Subscription, countersigned: File, on: datetime.date | None = None, by: User | None = None
) -> Subscription:
    """Staff uploads the countersigned convention: the subscription is finalized, the member told."""
    on = on or timezone.localdate()
    extension = validate_countersigned_file(countersigned)

    def perform(locked: Subscription) -> Subscription:
        _check_live(locked)
        if locked.finalized_on:
            raise ValidationError("Cette souscription est déjà finalisée.")
        _check_date(on, locked, "finalized_on")
        market_slug = slugify(locked.market.title)[:60]
        name = f"convention-contresignee-{market_slug}-{locked.establishment.siret}.{extension}"
        locked.received_on = locked.received_on or on
        locked.finalized_on = on
        locked.countersigned_convention.save(name, countersigned, save=False)
        locked.save(update_fields=["received_on", "finalized_on", "countersigned_convention"])
        _email(
            locked,
            template="subscriptions/emails/subscription_finalized",
            attachment=locked.countersigned_convention,
        )
        return locked

    return record_step(
        instance=subscription,
        action=FINALIZED_ACTION,
        by=by,
        perform=perform,
        data={"on": str(on)},
        queryset=Subscription.objects.select_related("market", "establishment", "requested_by"),
    )


def subscription_cancel(
    *, subscription: Subscription, reason: str, on: datetime.date | None = None, by: User | None = None
) -> Subscription:
    """Cancel, and take the pieces back from users no other live subscription covers."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"cancel_reason": "Indiquez le motif de l'annulation."})

    def perform(locked: Subscription) -> Subscription:
        _check_live(locked)
        locked.cancelled_on = on or timezone.localdate()
        locked.cancel_reason = reason
        locked.save(update_fields=["cancelled_on", "cancel_reason"])
        permissions.market_revoke(
            market=locked.market, establishment=locked.establishment, groupement=locked.groupement
        )
        return locked

    return record_step(instance=subscription, action=CANCELLED_ACTION, by=by, perform=perform, data={"reason": reason})
