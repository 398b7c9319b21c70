"""The holders' side: their contacts' accounts, the six-monthly report campaigns, the
reports, their versions, attachments and sales lines."""

import datetime
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

from core.models import Reviewed, status_field
from core.storage import private_storage


class HolderContact(models.Model):
    """A person invited by staff to act for a holder; the account exists once the
    invitation is accepted. Revoked: the account can no longer log in."""

    holder = models.ForeignKey(
        "markets.Holder", verbose_name="titulaire", on_delete=models.CASCADE, related_name="contacts"
    )
    email = models.EmailField("adresse e-mail")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="compte",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="holder_contact",
    )
    # Part of the signed link: a new invitation (or a revocation) changes it, so an older
    # link is dead even before it expires.
    nonce = models.CharField(max_length=32, default="", editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="invité par", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    invited_at = models.DateTimeField("invité le", default=timezone.now)
    accepted_at = models.DateTimeField("invitation acceptée le", null=True, blank=True)
    revoked_at = models.DateTimeField("révoqué le", null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="révoqué par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "contact titulaire"
        verbose_name_plural = "contacts titulaires"
        ordering = ["holder__name", "email"]
        constraints = [models.UniqueConstraint(fields=["email"], name="unique_holder_contact_email")]

    def __str__(self):
        return f"{self.email} ({self.holder})"

    def new_nonce(self):
        self.nonce = secrets.token_hex(16)

    @property
    def state(self):
        if self.revoked_at:
            return "Révoqué"
        if self.accepted_at:
            return "Actif"
        return "Invitation envoyée"


class Half(models.IntegerChoices):
    S1 = 1, "S1 (janvier–juin)"
    S2 = 2, "S2 (juillet–décembre)"


def default_deadline(year: int, half: int) -> datetime.date:
    """The last day of the month after the half-year: 31 July or 31 January."""
    if half == Half.S1:
        return datetime.date(year, 7, 31)
    return datetime.date(year + 1, 1, 31)


class Campaign(models.Model):
    """The six-monthly call for reports: one per half-year."""

    year = models.PositiveSmallIntegerField("année")
    half = models.PositiveSmallIntegerField("semestre", choices=Half.choices)
    deadline = models.DateField("date limite")
    opened_at = models.DateTimeField("ouverte le", default=timezone.now)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="ouverte par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "campagne de rapports"
        verbose_name_plural = "campagnes de rapports"
        ordering = ["-year", "-half"]
        constraints = [models.UniqueConstraint(fields=["year", "half"], name="unique_campaign_half")]

    def __str__(self):
        return f"S{self.half} {self.year}"

    @property
    def label(self):
        return str(self)

    @property
    def starts_on(self):
        return datetime.date(self.year, 1 if self.half == Half.S1 else 7, 1)

    @property
    def ends_on(self):
        return datetime.date(self.year, 6, 30) if self.half == Half.S1 else datetime.date(self.year, 12, 31)


class Report(Reviewed):
    """A holder's six-monthly report on one agreement: written as a draft, submitted, then
    accepted or sent back by staff (core.decisions) — sent back, the holder submits again."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Brouillon"
        PENDING = Reviewed.PENDING, "Soumis"
        REJECTED = Reviewed.REJECTED, "Renvoyé pour correction"
        ACCEPTED = "accepted", "Accepté"

    approved_status = Status.ACCEPTED

    campaign = models.ForeignKey(Campaign, verbose_name="campagne", on_delete=models.PROTECT, related_name="reports")
    market = models.ForeignKey(
        "markets.MarketPage", verbose_name="accord-cadre", on_delete=models.PROTECT, related_name="holder_reports"
    )
    holder = models.ForeignKey(
        "markets.Holder", verbose_name="titulaire", on_delete=models.PROTECT, related_name="reports"
    )
    status = status_field(Status.choices)
    commercial_actions = models.TextField("actions commerciales menées et leurs résultats", blank=True)
    volume = models.DecimalField(
        "volume d'affaires global HT du semestre (€)", max_digits=14, decimal_places=2, null=True, blank=True
    )
    return_on_investment = models.TextField("retour sur investissement des projets livrés", blank=True)
    good_practices = models.TextField("bonnes pratiques", blank=True)
    failures = models.TextField("défauts d'application de l'accord-cadre constatés", blank=True)
    corrective_measures = models.TextField("mesures correctives", blank=True)
    comments = models.TextField("commentaires libres", blank=True)
    gap_explanation = models.TextField("explication de l'écart avec le détail des ventes", blank=True)
    staff_notes = models.TextField("notes internes", blank=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)
    submitted_at = models.DateTimeField("soumis le", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="soumis par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Reminders sent (holders.reminders): each one once.
    reminded_before_at = models.DateTimeField("relance J-15 envoyée le", null=True, blank=True)
    reminded_eve_at = models.DateTimeField("relance J-1 envoyée le", null=True, blank=True)
    reminded_late_at = models.DateTimeField("relance de retard envoyée le", null=True, blank=True)

    class Meta:
        verbose_name = "rapport semestriel"
        verbose_name_plural = "rapports semestriels"
        ordering = ["-campaign__year", "-campaign__half", "market__title", "holder__name"]
        constraints = [models.UniqueConstraint(fields=["campaign", "market", "holder"], name="unique_report_per_half")]
        indexes = [models.Index(fields=["status"], name="holder_report_status_idx")]

    def __str__(self):
        return f"{self.market.title} – {self.holder.name} – {self.campaign}"

    @property
    def is_editable(self):
        return self.status in (self.Status.DRAFT, self.Status.REJECTED)

    @property
    def is_late(self):
        return (
            self.status in (self.Status.DRAFT, self.Status.REJECTED) and timezone.localdate() > self.campaign.deadline
        )

    @property
    def state_label(self):
        return "En retard" if self.is_late else self.get_status_display()


class ReportVersion(models.Model):
    """What was submitted, each time: the report's fields and its sales total, who and when,
    and the staff decision on that version."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField("version")
    submitted_at = models.DateTimeField("soumise le")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="soumise par", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    content = models.JSONField("contenu")
    decision = models.CharField("décision", max_length=10, blank=True)
    decided_at = models.DateTimeField("décidée le", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="décidée par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.TextField("motif", blank=True)

    class Meta:
        verbose_name = "version de rapport"
        verbose_name_plural = "versions de rapport"
        ordering = ["report", "number"]
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="unique_report_version")]

    def __str__(self):
        return f"{self.report} – version {self.number}"


def attachment_path(instance, filename):
    return f"holder-reports/{instance.report_id}/{secrets.token_hex(8)}/{filename}"


class Attachment(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField("fichier", upload_to=attachment_path, storage=private_storage, max_length=255)
    name = models.CharField("nom", max_length=150)
    size = models.PositiveIntegerField("taille")
    uploaded_at = models.DateTimeField("déposé le", auto_now_add=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "pièce jointe de rapport"
        verbose_name_plural = "pièces jointes de rapport"
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.name


class SalesLine(models.Model):
    """One row of the sales detail a holder uploaded: an establishment's purchases on a lot."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="sales_lines")
    row = models.PositiveIntegerField("ligne du tableur")
    siret = models.CharField("SIRET", max_length=14, db_index=True)
    name = models.CharField("établissement", max_length=255)
    lot = models.CharField("lot", max_length=255, blank=True)
    amount = models.DecimalField("montant HT (€)", max_digits=14, decimal_places=2)
    quantity = models.DecimalField("quantité", max_digits=14, decimal_places=2, null=True, blank=True)
    establishment = models.ForeignKey(
        "members.Establishment", null=True, blank=True, on_delete=models.SET_NULL, related_name="holder_sales"
    )
    # No finalized subscription to the agreement: a failure to apply it, for staff to see.
    out_of_subscription = models.BooleanField("hors souscription", default=False)

    class Meta:
        verbose_name = "ligne de ventes"
        verbose_name_plural = "lignes de ventes"
        ordering = ["report", "row"]

    def __str__(self):
        return f"{self.siret} {self.lot} {self.amount}"
