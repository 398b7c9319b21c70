"""A convention returned signed in the portal, and the trusted lists staff import.

The signed convention sits beside its subscription (one to one) instead of in it: the
subscription keeps its dated steps, this app keeps the file, its verification report and
the central's countersignature.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from core.storage import private_storage


def signed_convention_path(instance, filename):
    # A generated name: the member's file name says nothing and is never reused.
    return f"conventions-signees/{uuid.uuid4().hex}.pdf"


class SignedConvention(models.Model):
    subscription = models.OneToOneField(
        "subscriptions.Subscription",
        verbose_name="souscription",
        on_delete=models.CASCADE,
        related_name="signed_convention",
    )
    file = models.FileField(
        "convention signée", upload_to=signed_convention_path, storage=private_storage, max_length=255
    )
    original_name = models.CharField("nom du fichier déposé", max_length=255, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="déposée par",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField("déposée le", default=timezone.now)
    verdict = models.CharField("verdict", max_length=120)
    report = models.JSONField("rapport de vérification", default=dict)
    countersigned_at = models.DateTimeField("contresignée le", null=True, blank=True)
    countersigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="contresignée par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "convention signée"
        verbose_name_plural = "conventions signées"

    def __str__(self):
        return f"Convention signée — {self.subscription_id}"

    @property
    def level(self) -> str:
        return self.report.get("level", "none")


class TrustedList(models.Model):
    """One import of a trusted list; the latest is the one in force."""

    territory = models.CharField("territoire", max_length=10, blank=True)
    operator = models.CharField("opérateur", max_length=255, blank=True)
    sequence = models.CharField("numéro de séquence", max_length=20, blank=True)
    issued_at = models.CharField("émise le", max_length=40, blank=True)
    next_update = models.CharField("prochaine mise à jour", max_length=40, blank=True)
    source = models.CharField("source", max_length=255, blank=True)
    services = models.JSONField("services", default=list)  # [{name, kind, certificate (base64 DER)}]
    imported_at = models.DateTimeField("importée le", default=timezone.now)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="importée par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "liste de confiance"
        verbose_name_plural = "listes de confiance"
        ordering = ["-imported_at", "-pk"]

    def __str__(self):
        return f"Liste de confiance {self.territory} n° {self.sequence}".strip()

    @property
    def service_count(self) -> int:
        return len(self.services)

    @property
    def qualified_count(self) -> int:
        return sum(1 for service in self.services if service.get("kind", "").endswith("/CA/QC"))
