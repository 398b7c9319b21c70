from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from members.validators import validate_siren, validate_siret

from .review import Reviewed


class Establishment(Reviewed, models.Model):
    """A public body's establishment, identified by its SIRET."""

    class Status(models.TextChoices):
        PENDING = "pending", "En attente de validation"
        VALIDATED = "validated", "Validé"
        REJECTED = "rejected", "Refusé"

    name = models.CharField("nom de l'établissement", max_length=255)
    siren = models.CharField("SIREN", max_length=9, validators=[validate_siren])
    siret = models.CharField("SIRET", max_length=14, unique=True, validators=[validate_siret])
    ape_code = models.CharField("code APE", max_length=6, blank=True)
    chorus_code = models.CharField("code Chorus", max_length=50, blank=True)
    street_number = models.CharField("numéro de voie", max_length=20, blank=True)
    street_name = models.CharField("libellé voie", max_length=255, blank=True)
    address_complement = models.CharField("complément d'adresse", max_length=255, blank=True)
    postcode = models.CharField("code postal", max_length=5, blank=True)
    city = models.CharField("commune", max_length=255, blank=True)
    special_distribution = models.CharField("distribution spéciale", max_length=255, blank=True)
    cedex_code = models.CharField("code Cedex", max_length=9, blank=True)
    cedex_label = models.CharField("libellé Cedex", max_length=255, blank=True)
    billing_address = models.TextField("adresse de facturation", blank=True)
    status = models.CharField("statut", max_length=10, choices=Status.choices, default=Status.PENDING)
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

    class Meta:
        verbose_name = "établissement"
        verbose_name_plural = "établissements"
        ordering = ["name"]
        indexes = [models.Index(fields=["status", "created_at"], name="establishment_queue_idx")]

    def __str__(self):
        return f"{self.name} - {self.postcode}" if self.postcode else self.name

    def clean(self):
        if self.siret and self.siren and not self.siret.startswith(self.siren):
            raise ValidationError({"siret": "Le SIRET doit commencer par le SIREN de l'établissement."})

    @property
    def address_lines(self):
        street = " ".join(part for part in (self.street_number, self.street_name) if part)
        city = " ".join(part for part in (self.postcode, self.city) if part)
        return [line for line in (street, self.address_complement, city) if line]
