"""Support requests: what was asked, in which context, and the exchange that follows."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models

from core.storage import private_storage

from .faq import Subject


class Status(models.TextChoices):
    NEW = "new", "Nouvelle"
    IN_PROGRESS = "in_progress", "En cours"
    WAITING = "waiting", "En attente du demandeur"
    RESOLVED = "resolved", "Résolue"
    CLOSED = "closed", "Fermée"


OPEN_STATUSES = (Status.NEW, Status.IN_PROGRESS, Status.WAITING)


class Severity(models.TextChoices):
    MINOR = "minor", "Mineur"
    MAJOR = "major", "Majeur"
    BLOCKING = "blocking", "Bloquant"
    SUGGESTION = "suggestion", "Une suggestion d'amélioration"


class Frequency(models.TextChoices):
    ONCE = "once", "Une fois seulement"
    SEVERAL = "several", "Plusieurs fois (aléatoirement)"
    SYSTEMATIC = "systematic", "De façon systématique (à la suite d'une série d'actions)"


class ReferenceCounter(models.Model):
    """The last number given in a year: AS-2026-000123 (one row per year, locked to count)."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.year} : {self.last}"


class SupportRequest(models.Model):
    """A member's or visitor's request, with the context shown to them before they sent it."""

    reference = models.CharField("référence", max_length=20, unique=True, editable=False)
    year = models.PositiveSmallIntegerField(editable=False)
    number = models.PositiveIntegerField(editable=False)
    subject = models.ForeignKey(Subject, verbose_name="sujet", on_delete=models.PROTECT, related_name="requests")
    status = models.CharField("statut", max_length=12, choices=Status.choices, default=Status.NEW, db_index=True)
    severity = models.CharField("gravité", max_length=12, choices=Severity.choices)
    frequency = models.CharField("fréquence", max_length=12, choices=Frequency.choices)
    message = models.TextField("message")

    # Who asks: an account, or a visitor who typed their details.
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="compte du demandeur",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="support_requests",
    )
    contact_name = models.CharField("nom", max_length=150)
    contact_email = models.EmailField("e-mail")
    contact_phone = models.CharField("téléphone", max_length=30, blank=True)
    organisation = models.CharField("établissement (saisi)", max_length=150, blank=True)

    # Context: exactly what the requester was shown ("Contexte applicatif, métier, technique").
    portal_version = models.CharField("version du portail", max_length=50, blank=True)
    page_path = models.CharField("page d'origine", max_length=500, blank=True)
    page_label = models.CharField("nom de la page d'origine", max_length=200, blank=True)
    establishments = models.ManyToManyField(
        "members.Establishment", verbose_name="établissements du demandeur", blank=True, related_name="support_requests"
    )
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    concerns = GenericForeignKey("content_type", "object_id")
    concerns_label = models.CharField("objet concerné", max_length=255, blank=True)
    browser = models.CharField("navigateur", max_length=100, blank=True)
    operating_system = models.CharField("système d'exploitation", max_length=100, blank=True)

    # Handling by staff.
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="suivie par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        limit_choices_to={"is_staff": True},
    )
    created_at = models.DateTimeField("créée le", auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField("mise à jour le", auto_now=True)
    first_response_at = models.DateTimeField("première réponse le", null=True, blank=True)
    resolved_at = models.DateTimeField("résolue le", null=True, blank=True)
    closed_at = models.DateTimeField("fermée le", null=True, blank=True)

    class Meta:
        verbose_name = "demande d'assistance"
        verbose_name_plural = "demandes d'assistance"
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["year", "number"], name="assistance_unique_yearly_number")]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return f"{self.reference} — {self.subject}"

    # What the context sections show, named as for a request being written (context.RequestContext).
    @property
    def user_name(self):
        return self.requester.get_full_name() if self.requester_id else ""

    @property
    def user_email(self):
        return self.requester.email if self.requester_id else ""

    @property
    def establishment_list(self):
        return self.establishments.all()

    @property
    def is_open(self):
        return self.status in OPEN_STATUSES

    @property
    def accepts_messages(self):
        """The requester may still write (a resolved request reopens when they do)."""
        return self.status != Status.CLOSED


class RequestMessage(models.Model):
    """One step of the exchange after the request: a message, a reply, a note, a status change."""

    class Kind(models.TextChoices):
        MESSAGE = "message", "Message du demandeur"
        REPLY = "reply", "Réponse de la CANUT"
        NOTE = "note", "Note interne"
        EVENT = "event", "Suivi"

    request = models.ForeignKey(SupportRequest, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField("type", max_length=10, choices=Kind.choices)
    # Internal steps (notes, assignments) are for staff only: the requester never sees them.
    internal = models.BooleanField("interne", default=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_name = models.CharField("auteur", max_length=150, blank=True)
    body = models.TextField("message", blank=True)
    status = models.CharField("nouveau statut", max_length=12, choices=Status.choices, blank=True)
    created_at = models.DateTimeField("le", auto_now_add=True)

    class Meta:
        verbose_name = "échange"
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.request.reference}"


def attachment_path(instance, filename):
    # The services pass a generated name; what the requester called the file is kept apart.
    return f"assistance/{filename}"


class Attachment(models.Model):
    """A screenshot or PDF, checked by content, in private storage under a generated name."""

    class Kind(models.TextChoices):
        PNG = "png", "Image PNG"
        JPEG = "jpeg", "Image JPEG"
        PDF = "pdf", "Document PDF"

    request = models.ForeignKey(SupportRequest, on_delete=models.CASCADE, related_name="attachments")
    message = models.ForeignKey(
        RequestMessage, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField("fichier", upload_to=attachment_path, storage=private_storage, max_length=200)
    original_name = models.CharField("nom du fichier envoyé", max_length=150)
    kind = models.CharField("type", max_length=5, choices=Kind.choices)
    size = models.PositiveIntegerField("taille (octets)")
    created_at = models.DateTimeField("le", auto_now_add=True)

    class Meta:
        verbose_name = "pièce jointe"
        verbose_name_plural = "pièces jointes"
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.original_name

    @property
    def content_type(self):
        return {"png": "image/png", "jpeg": "image/jpeg", "pdf": "application/pdf"}[self.kind]
