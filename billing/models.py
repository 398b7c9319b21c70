"""Fees and invoices: the yearly fee schedule editors keep, what staff type about an
establishment's size, which markets are free, and the invoices (never edited once issued:
a credit note corrects them).

Money is Decimal everywhere; amounts are computed by billing.fees (one function for the
member's estimate and the invoice) and frozen on the invoice's lines.
"""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from core.validators import validate_siren

from .bank import validate_bic, validate_french_vat, validate_iban

PERCENT = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]
MONEY = {"max_digits": 12, "decimal_places": 2}


class SizeBasis(models.TextChoices):
    POPULATION = "population", "Commune : population"
    HEADCOUNT = "headcount", "Autre organisme : effectif salarié (tranche SIRENE)"
    DEFAULT = "default", "Tranche par défaut (taille inconnue)"


# SIRENE's "tranche d'effectif salarié" codes and the lowest headcount each stands for.
HEADCOUNT_BANDS = {
    "NN": ("Non employeur", None),
    "00": ("0 salarié", 0),
    "01": ("1 ou 2 salariés", 1),
    "02": ("3 à 5 salariés", 3),
    "03": ("6 à 9 salariés", 6),
    "11": ("10 à 19 salariés", 10),
    "12": ("20 à 49 salariés", 20),
    "21": ("50 à 99 salariés", 50),
    "22": ("100 à 199 salariés", 100),
    "31": ("200 à 249 salariés", 200),
    "32": ("250 à 499 salariés", 250),
    "41": ("500 à 999 salariés", 500),
    "42": ("1 000 à 1 999 salariés", 1000),
    "51": ("2 000 à 4 999 salariés", 2000),
    "52": ("5 000 à 9 999 salariés", 5000),
    "53": ("10 000 salariés et plus", 10000),
}
HEADCOUNT_CHOICES = [(code, f"{code} — {label}") for code, (label, _) in HEADCOUNT_BANDS.items()]


class FeeSchedule(ClusterableModel):
    """ "Barème des frais d'utilisation" of one calendar year."""

    year = models.PositiveIntegerField("année", unique=True, validators=[MinValueValidator(2000)])
    vat_rate = models.DecimalField(
        "taux de TVA (%)", max_digits=5, decimal_places=2, default=Decimal("20.00"), validators=PERCENT
    )
    second_discount = models.DecimalField(
        "réduction de la 2e souscription de l'année (%)",
        max_digits=5,
        decimal_places=2,
        default=Decimal("20"),
        validators=PERCENT,
    )
    later_discount = models.DecimalField(
        "réduction de la 3e souscription et des suivantes (%)",
        max_digits=5,
        decimal_places=2,
        default=Decimal("40"),
        validators=PERCENT,
    )
    payment_days = models.PositiveIntegerField("délai de paiement (jours)", default=30)

    panels = [
        FieldPanel("year"),
        MultiFieldPanel(
            [
                FieldPanel("vat_rate"),
                FieldPanel("second_discount"),
                FieldPanel("later_discount"),
                FieldPanel("payment_days"),
            ],
            heading="Taux et dégressivité",
        ),
        InlinePanel("bands", heading="Tranches", label="tranche", min_num=1),
    ]

    class Meta:
        verbose_name = "barème des frais"
        verbose_name_plural = "barèmes des frais"
        ordering = ["-year"]

    def __str__(self):
        return f"Barème {self.year}"


class FeeBand(models.Model):
    """One size band: bounds are inclusive; an empty upper bound means "and more"."""

    schedule = ParentalKey(FeeSchedule, on_delete=models.CASCADE, related_name="bands")
    basis = models.CharField("critère", max_length=12, choices=SizeBasis.choices)
    low = models.PositiveIntegerField("de", null=True, blank=True, help_text="Habitants ou salariés, inclus.")
    high = models.PositiveIntegerField("à", null=True, blank=True, help_text="Inclus ; vide : sans limite.")
    amount = models.DecimalField("montant annuel HT (€)", validators=[MinValueValidator(Decimal("0"))], **MONEY)
    non_member_amount = models.DecimalField(
        "montant annuel HT pour un non-adhérent (€)",
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text="Vide : le même montant que pour un adhérent.",
        **MONEY,
    )

    panels = [
        FieldPanel("basis"),
        FieldPanel("low"),
        FieldPanel("high"),
        FieldPanel("amount"),
        FieldPanel("non_member_amount"),
    ]

    class Meta:
        verbose_name = "tranche"
        verbose_name_plural = "tranches"
        ordering = ["basis", "low"]

    def __str__(self):
        return self.label

    @classmethod
    def from_row(cls, row, **fields):
        """An unsaved band from (basis, low, high, amount, non-member amount or None), amounts
        as text: how the demo and the tests write their schedules."""
        basis, low, high, amount, non_member = row
        non_member = Decimal(non_member) if non_member else None
        return cls(basis=basis, low=low, high=high, amount=Decimal(amount), non_member_amount=non_member, **fields)

    @property
    def label(self):
        if self.basis == SizeBasis.DEFAULT:
            return "tranche par défaut"
        unit = "habitants" if self.basis == SizeBasis.POPULATION else "salariés"
        low = f"{self.low or 0:,}".replace(",", "\u202f")
        if self.high is None:
            return f"{low} {unit} et plus"
        return f"{low} à {self.high:,} {unit}".replace(",", "\u202f")


class MarketFee(models.Model):
    """A market that generates no invoice from the central ("sans frais")."""

    market = models.OneToOneField(
        "markets.MarketPage", verbose_name="marché", on_delete=models.CASCADE, related_name="billing_fee"
    )
    free = models.BooleanField("sans frais", default=True, help_text="Aucune facture de la CANUT pour ce marché.")
    note = models.CharField("précision", max_length=255, blank=True)

    panels = [FieldPanel("market"), FieldPanel("free"), FieldPanel("note")]

    class Meta:
        verbose_name = "frais d'un marché"
        verbose_name_plural = "marchés sans frais"

    def __str__(self):
        return f"{self.market.title} — {'sans frais' if self.free else 'frais du barème'}"


class EstablishmentSize(models.Model):
    """An establishment's size as staff know it: a commune's population (typed by staff from
    INSEE's legal population) or SIRENE's headcount band for other bodies."""

    establishment = models.OneToOneField(
        "members.Establishment", verbose_name="établissement", on_delete=models.CASCADE, related_name="billing_size"
    )
    population = models.PositiveIntegerField(
        "population (commune)",
        null=True,
        blank=True,
        help_text="Population légale INSEE ; vide si ce n'est pas une commune.",
    )
    headcount_band = models.CharField("tranche d'effectif SIRENE", max_length=2, choices=HEADCOUNT_CHOICES, blank=True)
    updated_at = models.DateTimeField("mis à jour le", auto_now=True)

    panels = [FieldPanel("establishment"), FieldPanel("population"), FieldPanel("headcount_band")]

    class Meta:
        verbose_name = "taille d'un établissement"
        verbose_name_plural = "tailles des établissements"

    def __str__(self):
        return f"{self.establishment} — {self.size_label}"

    @property
    def size_label(self):
        if self.population is not None:
            return f"{self.population:,} habitants".replace(",", "\u202f")
        if self.headcount_band:
            return HEADCOUNT_BANDS[self.headcount_band][0]
        return "taille inconnue"


class InvoiceKind(models.TextChoices):
    FIRST = "first", "Première facture (au prorata)"
    YEARLY = "yearly", "Facture annuelle"


class InvoiceStatus(models.TextChoices):
    ISSUED = "issued", "Émise"
    PAID = "paid", "Payée"


class ChorusStatus(models.TextChoices):
    """Where the invoice stands on Chorus Pro (empty: not for Chorus, or Chorus not configured)."""

    QUEUED = "queued", "À déposer sur Chorus Pro"
    DEPOSITED = "deposited", "Déposée sur Chorus Pro"
    AVAILABLE = "available", "Mise à disposition de l'acheteur"
    REJECTED = "rejected", "Rejetée par Chorus Pro"
    PAID = "paid", "Mise en paiement (Chorus Pro)"
    FAILED = "failed", "Dépôt impossible"


@register_setting(icon="doc-full")
class BillingSettings(BaseSiteSetting):
    """The seller as its invoices show it: identity, logo, bank account. Checked on save
    (SIREN, VAT number, IBAN, BIC): a wrong digit here would send every payment astray."""

    name = models.CharField(
        "raison sociale", max_length=200, default="CANUT — Centrale d'achat du numérique et des télécoms"
    )
    siren = models.CharField("SIREN", max_length=9, default="130005481", validators=[validate_siren])
    vat_number = models.CharField(
        "n° de TVA intracommunautaire", max_length=13, default="FR19130005481", validators=[validate_french_vat]
    )
    street = models.CharField("adresse", max_length=200, default="4 place Amédée Bonnet")
    postcode = models.CharField("code postal", max_length=5, default="69002")
    city = models.CharField("ville", max_length=100, default="Lyon")
    legal_form = models.CharField("forme juridique", max_length=200, blank=True, default="Groupement d'intérêt public")
    logo = models.ForeignKey(
        "wagtailimages.Image", verbose_name="logo", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    iban = models.CharField("IBAN", max_length=42, blank=True, validators=[validate_iban])
    bic = models.CharField("BIC", max_length=11, blank=True, validators=[validate_bic])
    account_holder = models.CharField("titulaire du compte", max_length=140, blank=True)
    billing_email = models.EmailField("e-mail de la facturation", blank=True)

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("name"),
                FieldPanel("legal_form"),
                FieldPanel("siren"),
                FieldPanel("vat_number"),
                FieldPanel("street"),
                FieldPanel("postcode"),
                FieldPanel("city"),
                FieldPanel("logo"),
                FieldPanel("billing_email"),
            ],
            heading="Identité sur les factures",
        ),
        MultiFieldPanel(
            [FieldPanel("iban"), FieldPanel("bic"), FieldPanel("account_holder")], heading="Coordonnées bancaires"
        ),
    ]

    class Meta:
        verbose_name = "réglages de la facturation"

    def clean(self):
        from django.core.exceptions import ValidationError

        super().clean()
        given = [bool(self.iban), bool(self.bic), bool(self.account_holder)]
        if any(given) and not all(given):
            raise ValidationError("Indiquez l'IBAN, le BIC et le titulaire du compte, ou aucun des trois.")


class BuyerReference(models.Model):
    """What a member asks to see on its establishment's invoices: the Chorus Pro service
    code (BT-10) and the legal engagement number (BT-13), frozen on each invoice at issue."""

    establishment = models.OneToOneField(
        "members.Establishment",
        verbose_name="établissement",
        on_delete=models.CASCADE,
        related_name="billing_reference",
    )
    service_code = models.CharField(
        "code service Chorus Pro",
        max_length=100,
        blank=True,
        help_text="Le service destinataire de vos factures sur Chorus Pro, s'il en exige un.",
    )
    engagement_number = models.CharField(
        "numéro d'engagement juridique",
        max_length=50,
        blank=True,
        help_text="Le numéro de bon de commande ou d'engagement que votre comptable attend sur la facture.",
    )
    updated_at = models.DateTimeField("mis à jour le", auto_now=True)

    class Meta:
        verbose_name = "référence acheteur"
        verbose_name_plural = "références acheteur"

    def __str__(self):
        return f"{self.establishment} — {self.service_code or '—'} / {self.engagement_number or '—'}"


class Invoice(models.Model):
    """An issued invoice: its number, buyer and lines are frozen at issue."""

    subscription = models.ForeignKey(
        "subscriptions.Subscription", verbose_name="souscription", on_delete=models.PROTECT, related_name="invoices"
    )
    establishment = models.ForeignKey(
        "members.Establishment", verbose_name="établissement", on_delete=models.PROTECT, related_name="invoices"
    )
    market = models.ForeignKey(
        "markets.MarketPage", verbose_name="marché", on_delete=models.PROTECT, related_name="invoices"
    )
    kind = models.CharField("type", max_length=10, choices=InvoiceKind.choices)
    fee_year = models.PositiveIntegerField("année facturée")
    months = models.PositiveSmallIntegerField("mois facturés")
    number = models.CharField("numéro", max_length=20, unique=True)
    issued_on = models.DateField("émise le")
    due_on = models.DateField("échéance")
    paid_on = models.DateField("payée le", null=True, blank=True)
    status = models.CharField("statut", max_length=10, choices=InvoiceStatus.choices, default=InvoiceStatus.ISSUED)
    buyer_name = models.CharField("acheteur", max_length=255)
    buyer_siret = models.CharField("SIRET de l'acheteur", max_length=14)
    buyer_chorus_code = models.CharField("code service Chorus Pro", max_length=50, blank=True)
    buyer_address = models.TextField("adresse de l'acheteur", blank=True)
    buyer_engagement_number = models.CharField("numéro d'engagement juridique", max_length=50, blank=True)
    vat_rate = models.DecimalField("taux de TVA (%)", max_digits=5, decimal_places=2)
    total_excl_vat = models.DecimalField("total HT", **MONEY)
    vat_amount = models.DecimalField("TVA", **MONEY)
    total_incl_vat = models.DecimalField("total TTC", **MONEY)
    reminder_sent_on = models.DateField("relance envoyée le", null=True, blank=True)
    chorus_status = models.CharField("Chorus Pro", max_length=10, choices=ChorusStatus.choices, blank=True)
    chorus_flow_number = models.CharField("n° de flux Chorus Pro", max_length=50, blank=True)
    chorus_invoice_id = models.CharField("identifiant Chorus Pro", max_length=50, blank=True)
    chorus_reason = models.TextField("motif Chorus Pro", blank=True)
    chorus_attempts = models.PositiveSmallIntegerField("tentatives de dépôt", default=0)
    chorus_checked_at = models.DateTimeField("statut Chorus Pro lu le", null=True, blank=True)

    class Meta:
        verbose_name = "facture"
        verbose_name_plural = "factures"
        ordering = ["-issued_on", "-number"]
        constraints = [
            # Idempotent runs: one invoice per subscription and year, whatever runs at once.
            models.UniqueConstraint(fields=["subscription", "fee_year"], name="billing_one_invoice_per_year"),
            models.CheckConstraint(
                condition=Q(status="issued", paid_on__isnull=True) | Q(status="paid", paid_on__isnull=False),
                name="billing_paid_invoice_has_date",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "issued_on"], name="billing_invoice_status_idx"),
            models.Index(fields=["status", "due_on"], name="billing_invoice_due_idx"),
        ]

    def __str__(self):
        return self.number

    @property
    def pdf_filename(self):
        return f"facture-{self.number}.pdf"

    @property
    def credited_excl_vat(self):
        return sum((note.amount_excl_vat for note in self.credit_notes.all()), Decimal("0"))

    def state(self, today):
        """What the member and staff read: "Payée", "Avoir total", "Rejetée par Chorus Pro",
        "En retard" (past its due date), "À payer" (Chorus has it, not yet due) or "Émise"."""
        from .states import invoice_state

        return invoice_state(self, today)


class InvoiceLine(models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField()
    label = models.CharField("libellé", max_length=255)
    amount_excl_vat = models.DecimalField("montant HT", **MONEY)
    vat_amount = models.DecimalField("TVA", **MONEY)

    class Meta:
        verbose_name = "ligne de facture"
        ordering = ["invoice", "position"]
        constraints = [models.UniqueConstraint(fields=["invoice", "position"], name="billing_line_position")]

    def __str__(self):
        return self.label


class CreditNote(models.Model):
    """ "Avoir": corrects an issued invoice (which is never edited), in part or in full."""

    invoice = models.ForeignKey(Invoice, verbose_name="facture", on_delete=models.PROTECT, related_name="credit_notes")
    number = models.CharField("numéro", max_length=20, unique=True)
    issued_on = models.DateField("émis le")
    reason = models.TextField("motif")
    amount_excl_vat = models.DecimalField("montant HT crédité", **MONEY)
    vat_amount = models.DecimalField("TVA", **MONEY)
    total_incl_vat = models.DecimalField("total TTC crédité", **MONEY)

    class Meta:
        verbose_name = "avoir"
        verbose_name_plural = "avoirs"
        ordering = ["-issued_on", "-number"]

    def __str__(self):
        return self.number

    @property
    def pdf_filename(self):
        return f"avoir-{self.number}.pdf"


class NumberCounter(models.Model):
    """The last number given per year and series, locked while an invoice is issued so
    numbers are chronological and without gaps (a rolled-back issue gives its number back)."""

    series = models.CharField(max_length=1)  # F: invoices, A: credit notes
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["series", "year"], name="billing_counter_series_year")]

    def __str__(self):
        return f"{self.series}{self.year}: {self.last}"
