"""Price lines: every line of every agreement's price pieces (BPU, catalogue).

A PriceSource is one piece (a market's document) imported into lines; who may read a line
is who may read that piece (markets.access), looked up at query time from the market's
pieces, so changing a piece's audience in the editor changes who sees its prices at once.
"""

from django.conf import settings
from django.db import models

from markets.models import Holder, MarketPage


class PriceKind(models.TextChoices):
    MAXIMUM = "prix", "Prix maximum HT"
    DISCOUNT = "remise", "Remise sur prix public"


class ColumnMapping(models.Model):
    """The columns last used for a market's price pieces: proposed again at the next import."""

    market = models.OneToOneField(MarketPage, on_delete=models.CASCADE, related_name="price_mapping")
    columns = models.JSONField("colonnes", default=dict)  # field name -> header text
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "correspondance de colonnes"

    def __str__(self):
        return f"Colonnes — {self.market}"


class PriceSource(models.Model):
    """A market piece whose rows became price lines."""

    market = models.ForeignKey(MarketPage, on_delete=models.CASCADE, related_name="price_sources")
    document = models.ForeignKey("markets.MarketDocument", on_delete=models.CASCADE, related_name="price_sources")
    holder = models.ForeignKey(Holder, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    lot = models.CharField("lot", max_length=150, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "pièce de prix"
        constraints = [models.UniqueConstraint(fields=["market", "document"], name="unique_price_source")]

    def __str__(self):
        return f"{self.market} — {self.document}"


class ImportStatus(models.TextChoices):
    UPLOADED = "depose", "Déposé"
    CHECKING = "verification", "Vérification en cours"
    INVALID = "erreurs", "Erreurs à corriger"
    READY = "pret", "Prêt à appliquer"
    APPLYING = "application", "Application en cours"
    APPLIED = "applique", "Appliqué"
    FAILED = "echec", "Échec"


class PriceImport(models.Model):
    """One upload of a price piece: checked, compared with the current lines, then applied."""

    market = models.ForeignKey(MarketPage, on_delete=models.CASCADE, related_name="price_imports")
    document = models.ForeignKey("markets.MarketDocument", on_delete=models.CASCADE, related_name="+")
    holder = models.ForeignKey(Holder, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    lot = models.CharField("lot", max_length=150, blank=True)
    file_name = models.CharField(max_length=255)  # in private storage
    original_name = models.CharField(max_length=255)
    applies_from = models.DateField("applicable à partir du")
    headers = models.JSONField(default=list)
    header_row = models.PositiveIntegerField(default=0)
    columns = models.JSONField(default=dict)
    status = models.CharField(max_length=20, choices=ImportStatus.choices, default=ImportStatus.UPLOADED)
    progress = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list)
    diff = models.JSONField(default=dict)
    message = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "import de prix"
        verbose_name_plural = "imports de prix"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.original_name} — {self.market}"

    @property
    def running(self):
        return self.status in (ImportStatus.CHECKING, ImportStatus.APPLYING)


class PriceLine(models.Model):
    source = models.ForeignKey(PriceSource, on_delete=models.CASCADE, related_name="lines")
    market = models.ForeignKey(MarketPage, on_delete=models.CASCADE, related_name="price_lines")
    holder = models.ForeignKey(Holder, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    lot = models.CharField("lot", max_length=150, blank=True)
    key = models.CharField(max_length=255)  # identity of the line within its source
    reference = models.CharField("référence", max_length=100, blank=True)
    designation = models.CharField("désignation", max_length=500)
    publisher = models.CharField("éditeur ou marque", max_length=150, blank=True)
    category = models.CharField("catégorie", max_length=150, blank=True)
    unit = models.CharField("unité", max_length=60, blank=True)
    kind = models.CharField("type de prix", max_length=10, choices=PriceKind.choices, default=PriceKind.MAXIMUM)
    price = models.DecimalField("prix maximum HT", max_digits=14, decimal_places=2, null=True, blank=True)
    discount = models.DecimalField("remise (%)", max_digits=5, decimal_places=2, null=True, blank=True)
    list_price = models.DecimalField("prix public HT", max_digits=14, decimal_places=2, null=True, blank=True)
    net_price = models.DecimalField("prix net HT", max_digits=14, decimal_places=2, null=True, blank=True)
    on_quote = models.BooleanField("sur devis", default=False)
    applies_from = models.DateField("applicable à partir du")
    active = models.BooleanField(default=True)
    search_text = models.TextField(blank=True)  # folded words, space-padded (see prices.search)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "ligne de prix"
        verbose_name_plural = "lignes de prix"
        constraints = [models.UniqueConstraint(fields=["source", "key"], name="unique_price_line_key")]
        indexes = [
            models.Index(fields=["active", "source"], name="price_line_active_source"),
            models.Index(fields=["net_price"], name="price_line_net_price"),
        ]

    def __str__(self):
        return self.designation


class PriceLineVersion(models.Model):
    """The price of a line from a date: one row per applied import that changed it."""

    line = models.ForeignKey(PriceLine, on_delete=models.CASCADE, related_name="versions")
    price_import = models.ForeignKey(PriceImport, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    applies_from = models.DateField()
    price = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    discount = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    list_price = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    net_price = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    on_quote = models.BooleanField(default=False)
    removed = models.BooleanField(default=False)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["applies_from", "pk"]
        indexes = [models.Index(fields=["line", "applies_from"], name="price_version_line")]

    def __str__(self):
        return f"{self.line_id} — {self.applies_from}"
