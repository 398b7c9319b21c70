from django.conf import settings
from django.db import models


class Reviewed(models.Model):
    """Something staff validate: its status and the decision (who, when, why).

    Subclasses declare their `Status` choices (with PENDING and REJECTED) and say which
    status an approval gives (`approved_status`); core.decisions.decide is the one way to
    change it.
    """

    PENDING = "pending"
    REJECTED = "rejected"
    approved_status = "validated"

    status = models.CharField("statut", max_length=10, default=PENDING)
    decided_at = models.DateTimeField("décidé le", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="décidé par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decision_reason = models.TextField("motif de la décision", blank=True)

    class Meta:
        abstract = True

    @property
    def is_pending(self):
        return self.status == self.PENDING


def status_field(choices):
    """The `status` of a Reviewed subclass, with its own choices."""
    return models.CharField("statut", max_length=10, choices=choices, default=Reviewed.PENDING)


class EmailFailure(models.Model):
    """An email given up on (core.emails): staff see why in the admin, "Emails en échec"."""

    failed_at = models.DateTimeField("abandonné le", auto_now_add=True, db_index=True)
    template = models.CharField("modèle", max_length=200)
    recipients = models.TextField("destinataires")
    subject = models.CharField("objet", max_length=255, blank=True)
    attempts = models.PositiveSmallIntegerField("tentatives")
    reason = models.TextField("motif")

    class Meta:
        verbose_name = "email en échec"
        verbose_name_plural = "emails en échec"
        ordering = ["-failed_at"]

    def __str__(self):
        return f"{self.subject or self.template} → {self.recipients}"


class RateCounter(models.Model):
    """One hourly limit's count (core.throttle) when no cache is shared between workers."""

    key = models.CharField(max_length=200, unique=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = "compteur de limite"
        verbose_name_plural = "compteurs de limite"

    def __str__(self):
        return f"{self.key}: {self.count}"
