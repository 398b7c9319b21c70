"""A subscription links an establishment to a market (accord-cadre).

Its status is never stored: it is read from the dates and files recorded (a property on the
instance, the same rule as an annotation on querysets), so the two cannot disagree.
"""

from django.conf import settings
from django.db import models
from django.db.models import Case, Q, Value, When
from django.utils import timezone

from core.storage import private_storage


class SubscriptionStatus(models.TextChoices):
    SENT = "sent", "Convention envoyée"
    RECEIVED = "received", "Convention reçue"
    FINALIZED = "finalized", "Convention finalisée"
    CANCELLED = "cancelled", "Annulée"


PENDING_STATUSES = (SubscriptionStatus.SENT, SubscriptionStatus.RECEIVED)


class AssociationStanding(models.TextChoices):
    """Where the establishment stands with the CANUT association."""

    MEMBER = "member", "Mon établissement est déjà adhérent de l'association CANUT"
    JOINING = "joining", "Mon établissement souhaite adhérer à l'association CANUT"
    NEITHER = "neither", "Mon établissement n'est pas adhérent et ne souhaite pas adhérer"


def status_expression():
    """The SQL twin of Subscription.status (see SubscriptionQuerySet.with_status)."""
    return Case(
        When(cancelled_on__isnull=False, then=Value(SubscriptionStatus.CANCELLED.value)),
        When(finalized_on__isnull=False, then=Value(SubscriptionStatus.FINALIZED.value)),
        When(received_on__isnull=False, then=Value(SubscriptionStatus.RECEIVED.value)),
        default=Value(SubscriptionStatus.SENT.value),
        output_field=models.CharField(max_length=10),
    )


class SubscriptionQuerySet(models.QuerySet):
    def with_status(self):
        return self.annotate(status_value=status_expression())

    def live(self):
        """Not cancelled: these grant access to the market's pieces."""
        return self.filter(cancelled_on__isnull=True)

    def finalized(self):
        return self.live().filter(finalized_on__isnull=False)

    def pending(self):
        return self.live().filter(finalized_on__isnull=True)

    def with_status_in(self, statuses):
        return self.with_status().filter(status_value__in=list(statuses))


def convention_path(instance, filename):
    return f"conventions/{instance.market_id}/{filename}"


class Subscription(models.Model):
    """ "Préparer sa souscription": an establishment asks for a market's convention.

    Steps: SENT (on request) → RECEIVED (staff got the signed convention) → FINALIZED (staff
    uploaded the countersigned one); or CANCELLED at any time. For a groupement, the
    establishment is the groupement's parent; every child establishment's users see it too.
    """

    market = models.ForeignKey(
        "markets.MarketPage", verbose_name="marché", on_delete=models.PROTECT, related_name="subscriptions"
    )
    establishment = models.ForeignKey(
        "members.Establishment", verbose_name="établissement", on_delete=models.PROTECT, related_name="subscriptions"
    )
    # For a groupement, `establishment` is its parent, who signs; the children get the pieces too.
    groupement = models.ForeignKey(
        "groupements.Groupement",
        verbose_name="groupement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="subscriptions",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="demandée par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="requested_subscriptions",
    )
    association_standing = models.CharField(
        "adhésion à l'association", max_length=10, choices=AssociationStanding.choices, blank=True
    )
    requested_at = models.DateTimeField("demandée le", default=timezone.now)
    sent_on = models.DateField("convention envoyée le", default=timezone.localdate)
    received_on = models.DateField("convention reçue le", null=True, blank=True)
    finalized_on = models.DateField("convention finalisée le", null=True, blank=True)
    cancelled_on = models.DateField("annulée le", null=True, blank=True)
    cancel_reason = models.TextField("motif d'annulation", blank=True)
    convention = models.FileField(
        "convention envoyée", upload_to=convention_path, storage=private_storage, blank=True, max_length=255
    )
    countersigned_convention = models.FileField(
        "convention contresignée", upload_to=convention_path, storage=private_storage, blank=True, max_length=255
    )

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = "souscription"
        verbose_name_plural = "souscriptions"
        ordering = ["-requested_at", "-pk"]
        constraints = [
            # One live subscription per market and establishment: asking again shows it.
            models.UniqueConstraint(
                fields=["market", "establishment"],
                condition=Q(cancelled_on__isnull=True, groupement__isnull=True),
                name="unique_live_subscription",
            ),
            # And one per market and groupement, beside the parent's own.
            models.UniqueConstraint(
                fields=["market", "groupement"],
                condition=Q(cancelled_on__isnull=True, groupement__isnull=False),
                name="unique_live_groupement_subscription",
            ),
            # Finalized means countersigned and received: the status cannot lie about the files.
            models.CheckConstraint(
                condition=Q(finalized_on__isnull=True)
                | (Q(received_on__isnull=False) & ~Q(countersigned_convention="")),
                name="finalized_subscription_is_countersigned",
            ),
            models.CheckConstraint(
                condition=Q(cancelled_on__isnull=True) | ~Q(cancel_reason=""),
                name="cancelled_subscription_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["establishment", "market"])]

    def __str__(self):
        return f"{self.market.title} — {self.establishment}"

    @property
    def status(self):
        if self.cancelled_on:
            return SubscriptionStatus.CANCELLED
        if self.finalized_on:
            return SubscriptionStatus.FINALIZED
        if self.received_on:
            return SubscriptionStatus.RECEIVED
        return SubscriptionStatus.SENT

    def get_status_display(self):
        return self.status.label

    @property
    def is_live(self):
        return self.cancelled_on is None

    @property
    def is_finalized(self):
        return self.status == SubscriptionStatus.FINALIZED

    @property
    def is_pending(self):
        return self.status in PENDING_STATUSES

    @property
    def summary_label(self):
        """What the member sees on a card: "Souscription en cours / finalisée"."""
        if self.is_finalized:
            return "Souscription finalisée"
        if self.is_pending:
            return "Souscription en cours"
        return "Souscription annulée"

    @property
    def mode_label(self):
        return "Groupement" if self.groupement_id else "Établissement"

    @property
    def latest_step(self):
        """(label, date) of the latest dated step, for the page header."""
        for label, date in (
            ("Annulée le", self.cancelled_on),
            ("Convention finalisée le", self.finalized_on),
            ("Convention reçue le", self.received_on),
        ):
            if date:
                return label, date
        return "Convention envoyée le", self.sent_on

    def steps(self):
        """The three dated steps of "Statut de mon adhésion", with the current one's explanation."""
        status = self.status
        return [
            {
                "number": 1,
                "label": "Convention envoyée",
                "date": self.sent_on,
                "done": True,
                "current": status == SubscriptionStatus.SENT,
                "help": (
                    "Vous avez reçu votre convention. "
                    "Il ne vous reste plus qu'à la compléter, dater, signer et nous la renvoyer."
                ),
            },
            {
                "number": 2,
                "label": "Convention reçue",
                "date": self.received_on,
                "done": self.received_on is not None,
                "current": status == SubscriptionStatus.RECEIVED,
                "help": "Nous avons bien reçu votre convention signée. La contresignature CANUT est en cours.",
            },
            {
                "number": 3,
                "label": "Convention finalisée",
                "date": self.finalized_on,
                "done": self.finalized_on is not None,
                "current": status == SubscriptionStatus.FINALIZED,
                "help": "La CANUT a contresigné votre convention, votre adhésion est finalisée.",
            },
        ]
