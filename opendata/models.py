"""What the DECP format needs beyond what a market page holds, entered by editors."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting

from core.validators import validate_siret
from markets.models import CatalogueStamp

from . import schema
from .cpv import CpvCodeField, cpv_labels
from .fields import ChoiceListField

# Orders of 22 December 2022: contracts notified from 2024 of €40,000 excl. VAT or more.
DECP_SINCE = date(2024, 1, 1)
DECP_THRESHOLD = Decimal("40000")

decp_identifier = RegexValidator(
    r"^[^&\"\\<\s,;]{1,16}$",
    'De 1 à 16 caractères, sans espace ni & " \\ < , ;',
)


class OpenDataSettings(BaseGenericSetting):
    buyer_siret = models.CharField(
        "SIRET de l'acheteur",
        max_length=14,
        blank=True,
        validators=[validate_siret],
        help_text="Le SIRET de la centrale, acheteur de tous ses accords-cadres (champ « acheteur » des DECP).",
    )

    panels = [FieldPanel("buyer_siret")]

    class Meta:
        verbose_name = "données ouvertes"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        CatalogueStamp.renew()


class HolderSiret(models.Model):
    """The SIRET of a holder's establishment that holds the agreements (DECP: titulaire)."""

    holder = models.OneToOneField(
        "markets.Holder", verbose_name="titulaire", on_delete=models.CASCADE, related_name="decp"
    )
    siret = models.CharField("SIRET", max_length=14, validators=[validate_siret])

    panels = [FieldPanel("holder"), FieldPanel("siret")]

    class Meta:
        verbose_name = "SIRET d'un titulaire"
        verbose_name_plural = "SIRET des titulaires"

    def __str__(self):
        return f"{self.holder} — {self.siret}"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        CatalogueStamp.renew()


class MarketEssentialData(models.Model):
    """A market's essential data (DECP). Every field may stay empty: what is missing is
    listed in the admin and keeps the market out of the published files, never off the site."""

    market = models.OneToOneField(
        "markets.MarketPage", verbose_name="marché", on_delete=models.CASCADE, related_name="essential_data"
    )
    identifier = models.CharField(
        "identifiant DECP", max_length=16, blank=True, validators=[decp_identifier],
        help_text="Numéro d'ordre interne du marché, de 1 à 16 caractères.",
    )  # fmt: skip
    nature = models.CharField("nature", max_length=40, blank=True, choices=schema.Nature.choices)
    procedure = models.CharField("procédure", max_length=80, blank=True, choices=schema.Procedure.choices)
    techniques = ChoiceListField("techniques d'achat", value_choices=schema.Technique.choices)
    execution_modes = ChoiceListField("modalités d'exécution", value_choices=schema.ExecutionMode.choices)
    cpv_code = CpvCodeField(
        "code CPV", blank=True,
        help_text="Nomenclature CPV 2008 : tapez le code ou des mots de son libellé, par exemple « nettoyage ».",
    )  # fmt: skip
    place_code = models.CharField(
        "code du lieu d'exécution",
        max_length=10,
        blank=True,
        help_text="Par exemple 69 pour le Rhône, FR pour la France.",
    )
    place_kind = models.CharField(
        "type de code du lieu", max_length=30, blank=True, choices=schema.PlaceCodeKind.choices
    )
    duration_months = models.PositiveSmallIntegerField(
        "durée initiale (mois)", null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(600)]
    )
    amount = models.DecimalField(
        "montant maximum ou estimé (€ HT)", max_digits=14, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(1)],
    )  # fmt: skip
    price_form = models.CharField("forme du prix", max_length=20, blank=True, choices=schema.PriceForm.choices)
    price_types = ChoiceListField("types de prix", value_choices=schema.PriceType.choices)
    ccag = models.CharField("CCAG de référence", max_length=60, blank=True, choices=schema.Ccag.choices)
    offers_received = models.PositiveSmallIntegerField(
        "nombre d'offres reçues", null=True, blank=True, validators=[MinValueValidator(1)]
    )
    innovative = models.BooleanField("marché innovant", default=False)
    advance_granted = models.BooleanField("avance attribuée", default=False)
    advance_rate = models.DecimalField(
        "taux de l'avance", max_digits=4, decimal_places=3, null=True, blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(1)], help_text="0,05 pour 5 %.",
    )  # fmt: skip
    operators_grouping = models.CharField(
        "groupement d'opérateurs", max_length=20, blank=True, choices=schema.OperatorsGrouping.choices
    )
    subcontracting_declared = models.BooleanField("sous-traitance déclarée", default=False)
    social_considerations = ChoiceListField("considérations sociales", value_choices=schema.SocialConsideration.choices)
    environmental_considerations = ChoiceListField(
        "considérations environnementales", value_choices=schema.EnvironmentalConsideration.choices
    )
    # Set the first time the published files carry the market; never changed afterwards.
    first_published_on = models.DateField("date de première publication des données", null=True, editable=False)

    panels = [
        FieldPanel("market"),
        MultiFieldPanel(
            [FieldPanel("identifier"), FieldPanel("nature"), FieldPanel("procedure"), FieldPanel("techniques"),
             FieldPanel("execution_modes"), FieldPanel("cpv_code")],
            heading="Marché",
        ),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("place_code"), FieldPanel("place_kind")]), FieldPanel("duration_months"),
             FieldPanel("amount"), FieldPanel("price_form"), FieldPanel("price_types"), FieldPanel("ccag")],
            heading="Exécution et prix",
        ),
        MultiFieldPanel(
            [FieldPanel("offers_received"), FieldPanel("innovative"), FieldPanel("advance_granted"),
             FieldPanel("advance_rate"), FieldPanel("operators_grouping"), FieldPanel("subcontracting_declared"),
             FieldPanel("social_considerations"), FieldPanel("environmental_considerations")],
            heading="Attribution",
        ),
    ]  # fmt: skip

    class Meta:
        verbose_name = "données essentielles (DECP)"
        verbose_name_plural = "données essentielles (DECP)"
        ordering = ["market__title"]

    def __str__(self):
        return str(self.market)

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        CatalogueStamp.renew()

    @property
    def cpv_label(self):
        return cpv_labels().get(self.cpv_code, "")

    @property
    def missing(self):
        """What keeps this market out of the DECP files (uses `market.holder_links` and the
        holders' `decp`: prefetch them for a list)."""
        from .selectors import essential_data_missing

        return essential_data_missing(self)


class LotEssentialData(models.Model):
    """A lot's own essential data. The DECP format publishes each lot of an allotted agreement
    as a contract of its own: its identifier, amount and holders (those of the lot block);
    CPV code, number of offers and duration when they differ from the market's, which it
    inherits otherwise. One row per lot block of the live market, kept in step on publishing
    (opendata.services.lot_rows_sync): editors never add or remove one."""

    essential_data = models.ForeignKey(
        MarketEssentialData, verbose_name="marché", on_delete=models.CASCADE, related_name="lots"
    )
    # The lot block's id in MarketPage.lots: Wagtail keeps it across revisions.
    block_id = models.CharField(max_length=64, editable=False)
    number = models.PositiveIntegerField("numéro du lot", null=True, editable=False)
    identifier = models.CharField(
        "identifiant DECP du lot", max_length=16, blank=True, validators=[decp_identifier],
        help_text="Propre au lot, distinct de celui du marché et des autres lots ; de 1 à 16 caractères.",
    )  # fmt: skip
    subject = models.CharField(
        "objet publié", max_length=1000, blank=True,
        help_text="Vide : « titre du marché — Lot n°… ». L'intitulé du lot, réservé aux membres sur le site, "
        "n'est publié que si vous l'écrivez ici.",
    )  # fmt: skip
    amount = models.DecimalField(
        "montant maximum ou estimé du lot (€ HT)", max_digits=14, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(1)],
    )  # fmt: skip
    cpv_code = CpvCodeField("code CPV du lot", blank=True, help_text="Vide : celui du marché.")
    offers_received = models.PositiveSmallIntegerField(
        "nombre d'offres reçues pour le lot", null=True, blank=True, validators=[MinValueValidator(1)],
        help_text="Vide : celui du marché.",
    )  # fmt: skip
    duration_months = models.PositiveSmallIntegerField(
        "durée initiale du lot (mois)", null=True, blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(600)], help_text="Vide : celle du marché.",
    )  # fmt: skip
    first_published_on = models.DateField("date de première publication des données", null=True, editable=False)

    panels = [
        FieldPanel("identifier"), FieldPanel("subject"), FieldPanel("amount"), FieldPanel("cpv_code"),
        FieldRowPanel([FieldPanel("offers_received"), FieldPanel("duration_months")]),
    ]  # fmt: skip

    class Meta:
        verbose_name = "données essentielles d'un lot (DECP)"
        verbose_name_plural = "données essentielles des lots (DECP)"
        ordering = ["essential_data__market__title", "number", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["essential_data", "block_id"], name="unique_lot_essential_data"),
            models.UniqueConstraint(
                fields=["essential_data", "identifier"],
                condition=~models.Q(identifier=""),
                name="unique_lot_decp_identifier",
                violation_error_message="Un autre lot de ce marché a déjà cet identifiant.",
            ),
        ]

    def __str__(self):
        return f"{self.essential_data.market} — {self.label}"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        CatalogueStamp.renew()

    def clean(self):
        super().clean()
        if not (self.identifier and self.essential_data_id):
            return
        if self.identifier == self.essential_data.identifier:
            raise ValidationError({"identifier": "Le lot a son propre identifiant, distinct de celui du marché."})
        # The edit form leaves the market out, so Django would not check this constraint itself.
        siblings = LotEssentialData.objects.filter(essential_data_id=self.essential_data_id, identifier=self.identifier)
        if siblings.exclude(pk=self.pk).exists():
            raise ValidationError({"identifier": "Un autre lot de ce marché a déjà cet identifiant."})

    @property
    def label(self):
        return f"Lot n°{self.number}" if self.number else "Lot unique"

    @property
    def cpv_label(self):
        return cpv_labels().get(self.cpv_code, "")
