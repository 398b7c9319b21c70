from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from core.models import Reviewed, status_field
from core.validators import validate_siren, validate_siret
from directory.models import ADDRESS_FIELDS, PostalAddress

SIREN_MISMATCH = "Le SIRET doit commencer par le SIREN (ses 9 premiers chiffres)."


class Establishment(PostalAddress, Reviewed):
    """A public body's establishment, identified by its SIRET."""

    class Status(models.TextChoices):
        PENDING = Reviewed.PENDING, "En attente de validation"
        VALIDATED = "validated", "Validé"
        REJECTED = Reviewed.REJECTED, "Refusé"

    name = models.CharField("nom de l'établissement", max_length=255)
    siren = models.CharField("SIREN", max_length=9, validators=[validate_siren])
    siret = models.CharField("SIRET", max_length=14, unique=True, validators=[validate_siret])
    ape_code = models.CharField("code APE", max_length=6, blank=True)
    chorus_code = models.CharField("code Chorus", max_length=50, blank=True)
    billing_address = models.TextField("adresse de facturation", blank=True)
    status = status_field(Status.choices)
    users = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name="utilisateurs", related_name="establishments", blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="demandé par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("créé le", auto_now_add=True)

    REGULATORY_FIELDS = ("name", "siren", "siret", "ape_code", "chorus_code")
    # What a member types and may change (through staff): regulatory data, then the address.
    CHANGEABLE_FIELDS = (*REGULATORY_FIELDS, *ADDRESS_FIELDS, "billing_address")

    class Meta:
        verbose_name = "établissement"
        verbose_name_plural = "établissements"
        ordering = ["name"]
        indexes = [models.Index(fields=["status", "created_at"], name="establishment_queue_idx")]

    def __str__(self):
        return f"{self.name} - {self.postcode}" if self.postcode else self.name

    def clean(self):
        if self.siret and self.siren and not self.siret.startswith(self.siren):
            raise ValidationError({"siret": ValidationError(SIREN_MISMATCH, code="siren_mismatch")})
