from django.conf import settings
from django.db import models


class Reviewed(models.Model):
    """A staff decision on the object: who, when and why (the reason is sent to the member)."""

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
