import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from core.models import Reviewed, status_field
from core.storage import private_storage
from members.models import Establishment


def spreadsheet_path(groupement, filename):
    # A generated name, whatever the member's file was called (its name is kept as data):
    # no path tricks, no name too long for the file system, the extension its content has.
    return f"groupements/{groupement.parent_id}/{uuid.uuid4().hex}.xlsx"


class Groupement(Reviewed):
    """A parent establishment subscribing on behalf of child establishments listed in a spreadsheet."""

    class Status(models.TextChoices):
        PENDING = Reviewed.PENDING, "En attente de validation"
        VALIDATED = "validated", "Validé"
        REJECTED = Reviewed.REJECTED, "Refusé"

    parent = models.ForeignKey(
        Establishment,
        verbose_name="établissement parent",
        on_delete=models.PROTECT,
        related_name="led_groupements",
    )
    name = models.CharField("nom du groupement", max_length=150)
    market = models.ForeignKey(
        "markets.MarketPage",
        verbose_name="accord-cadre visé",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="groupements",
        help_text="L'accord-cadre pour lequel l'adhérent dit constituer ce groupement.",
    )
    spreadsheet = models.FileField(
        "tableur déposé", upload_to=spreadsheet_path, storage=private_storage, max_length=255
    )
    spreadsheet_name = models.CharField("nom du fichier déposé", max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="déposé par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="created_groupements",
    )
    created_at = models.DateTimeField("déposé le", auto_now_add=True)
    status = status_field(Status.choices)

    class Meta:
        verbose_name = "groupement"
        verbose_name_plural = "groupements"
        ordering = ["-created_at", "-pk"]
        constraints = [
            # A refused groupement may be sent again under the same name.
            models.UniqueConstraint(
                fields=["parent", "name"],
                condition=~Q(status="rejected"),
                name="groupement_unique_name_per_parent",
                violation_error_message="Votre établissement a déjà un groupement de ce nom.",
            ),
        ]

    def __str__(self):
        return self.name


class GroupementMember(models.Model):
    """One row of the groupement's spreadsheet: a child establishment and its contact."""

    groupement = models.ForeignKey(
        Groupement, verbose_name="groupement", on_delete=models.CASCADE, related_name="members"
    )
    establishment = models.ForeignKey(
        Establishment,
        verbose_name="établissement enfant",
        on_delete=models.PROTECT,
        related_name="groupement_memberships",
    )
    # As written in the spreadsheet: the directory's name may differ from the member's.
    name = models.CharField("nom de la structure", max_length=255)
    contact_email = models.EmailField("email de contact")
    row_number = models.PositiveIntegerField("ligne du tableur")

    class Meta:
        verbose_name = "établissement du groupement"
        verbose_name_plural = "établissements du groupement"
        ordering = ["groupement", "row_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["groupement", "establishment"], name="groupement_member_unique_establishment"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.establishment.siret})"
