from django.conf import settings
from django.db import models
from django.db.models import Q

from core.models import Reviewed, status_field

from .establishments import Establishment


class PendingChangeQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=PendingChange.Status.PENDING)


class PendingChange(Reviewed, models.Model):
    """A member's proposed change, applied only when staff approve it.

    ``data`` holds the proposed values (only the fields that differ); ``previous`` the values
    they replace, as they were when the member asked, so staff see what changes.
    """

    class Kind(models.TextChoices):
        ACCOUNT = "account", "Modification du compte"
        ESTABLISHMENT = "establishment", "Modification de l'établissement"
        ATTACHMENT = "attachment", "Rattachement à un établissement"

    class Status(models.TextChoices):
        PENDING = Reviewed.PENDING, "En attente de validation"
        APPROVED = "approved", "Validée"
        REJECTED = Reviewed.REJECTED, "Refusée"

    approved_status = Status.APPROVED

    kind = models.CharField("type", max_length=20, choices=Kind.choices)
    status = status_field(Status.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="demandée par",
        on_delete=models.CASCADE,
        related_name="requested_changes",
    )
    establishment = models.ForeignKey(
        Establishment,
        verbose_name="établissement",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="pending_changes",
    )
    data = models.JSONField("valeurs proposées", default=dict, blank=True)
    previous = models.JSONField("valeurs actuelles", default=dict, blank=True)
    created_at = models.DateTimeField("demandée le", auto_now_add=True)

    objects = PendingChangeQuerySet.as_manager()

    class Meta:
        verbose_name = "modification en attente"
        verbose_name_plural = "modifications en attente"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"], name="pendingchange_queue_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="account", establishment__isnull=True)
                | Q(kind__in=["establishment", "attachment"], establishment__isnull=False),
                name="pendingchange_target_matches_kind",
            ),
            # One open request per member and target: a new one replaces the old.
            models.UniqueConstraint(
                fields=["requested_by"],
                condition=Q(status="pending", kind="account"),
                name="pendingchange_one_open_account_change",
            ),
            models.UniqueConstraint(
                fields=["kind", "requested_by", "establishment"],
                condition=Q(status="pending", establishment__isnull=False),
                name="pendingchange_one_open_establishment_change",
            ),
        ]

    def __str__(self):
        target = self.establishment if self.establishment_id else self.requested_by
        return f"{self.get_kind_display()} — {target}"

    def summary(self):
        changes = self.changed_fields()
        return (
            "; ".join(f"{label} : {current or '—'} → {proposed or '—'}" for label, current, proposed in changes) or "—"
        )

    def changed_fields(self):
        """[(label, current, proposed)] for display to staff and to the member."""
        model = Establishment if self.kind == self.Kind.ESTABLISHMENT else type(self.requested_by)
        rows = []
        for name, proposed in self.data.items():
            label = model._meta.get_field(name).verbose_name
            rows.append((label, self.previous.get(name, ""), proposed))
        return rows


class JoinObjection(models.Model):
    """A user of an establishment objecting to someone's request to join it; staff read it
    on the request's decision page before deciding."""

    change = models.ForeignKey(
        PendingChange, verbose_name="demande", on_delete=models.CASCADE, related_name="objections"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="opposée par", on_delete=models.CASCADE, related_name="+"
    )
    reason = models.TextField("motif", max_length=2000)
    created_at = models.DateTimeField("le", auto_now_add=True)

    class Meta:
        verbose_name = "opposition à un rattachement"
        verbose_name_plural = "oppositions à un rattachement"
        ordering = ["created_at"]
        constraints = [models.UniqueConstraint(fields=["change", "user"], name="joinobjection_one_per_user")]

    def __str__(self):
        return f"{self.user} : {self.reason}"
