"""Saved searches, each member's alert settings, what the catalogue published (events) and
what was sent (deliveries, which also make every run idempotent)."""

from django.conf import settings
from django.db import models


class Source(models.TextChoices):
    MARKETS = "marches", "Tous les marchés"
    PRICES = "prix", "Produits et prix"


class Frequency(models.TextChoices):
    DAILY = "quotidienne", "Chaque jour"
    WEEKLY = "hebdomadaire", "Chaque semaine"
    NONE = "aucune", "Pas d'e-mail (raccourci)"


class SavedSearch(models.Model):
    """A member's search on "Tous les marchés" or "Produits et prix", kept under a name."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches")
    name = models.CharField("nom", max_length=100)
    source = models.CharField("page", max_length=10, choices=Source.choices)
    params = models.JSONField("critères", default=dict, blank=True)  # GET parameter -> list of values
    frequency = models.CharField("fréquence", max_length=15, choices=Frequency.choices, default=Frequency.WEEKLY)
    paused = models.BooleanField("en pause", default=False)
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    # The digest covers what appeared after this moment; each run moves it forward.
    checked_until = models.DateTimeField()
    last_found = models.JSONField("derniers résultats", default=list, blank=True)  # the items of the last digest
    last_found_at = models.DateTimeField("dernier envoi", null=True, blank=True)

    class Meta:
        verbose_name = "recherche enregistrée"
        verbose_name_plural = "recherches enregistrées"
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["frequency", "paused"], name="alerts_search_due")]

    def __str__(self):
        return self.name

    @property
    def is_active(self):
        return not self.paused and self.frequency != Frequency.NONE


class UsageKind(models.TextChoices):
    PIECES = "pieces", "Nouvelles pièces et avenants des marchés de mes établissements"
    END_DATES = "fins", "Fin prochaine (90 et 30 jours) des marchés et lots de mes établissements"
    CONVENTIONS = "conventions", "Rappels sur mes conventions en attente"


class AlertOptOut(models.Model):
    """A kind of alert on what the member uses that this user turned off in "Mon compte"."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alert_opt_outs")
    kind = models.CharField(max_length=15, choices=UsageKind.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="alerts_unique_opt_out")]

    def __str__(self):
        return f"{self.user} — {self.get_kind_display()}"


class MarketSnapshot(models.Model):
    """What the live market held at its last publication, to tell what a publication adds."""

    market = models.OneToOneField("markets.MarketPage", on_delete=models.CASCADE, related_name="alert_snapshot")
    holder_ids = models.JSONField(default=list)
    lots = models.JSONField(default=list)  # [{"label", "title", "ends_on"}]
    document_ids = models.JSONField(default=list)  # every piece ever published: a piece is told once

    def __str__(self):
        return str(self.market)


class EventKind(models.TextChoices):
    PUBLISHED = "publie", "Nouveau marché"
    LOT = "lot", "Lot ajouté"
    HOLDER = "titulaire", "Titulaire ajouté"
    PIECE = "piece", "Nouvelle pièce"


class MarketEvent(models.Model):
    """Something a publication brought to a market, for digests and subscribers' alerts."""

    market = models.ForeignKey("markets.MarketPage", on_delete=models.CASCADE, related_name="alert_events")
    kind = models.CharField(max_length=10, choices=EventKind.choices)
    label = models.CharField(max_length=255, blank=True)
    audience = models.CharField(max_length=20, blank=True)  # a piece's
    document_kind = models.CharField(max_length=20, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    notified_at = models.DateTimeField(null=True, blank=True)  # subscribers told (pieces)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.label}"


class DeliveryKind(models.TextChoices):
    DIGEST_DAILY = "digest-quotidien", "Résumé quotidien des recherches"
    DIGEST_WEEKLY = "digest-hebdomadaire", "Résumé hebdomadaire des recherches"
    PIECE = "piece", "Nouvelle pièce ou avenant"
    END_DATE = "fin", "Fin prochaine d'un marché"
    CONVENTION_SENT = "convention-envoyee", "Convention envoyée sans retour"
    CONVENTION_RECEIVED = "convention-recue", "Convention reçue non finalisée"


class Delivery(models.Model):
    """One batch of alert emails. Its unique key is taken before anything is sent: a run
    repeated, or started by two workers at once, finds the key taken and sends nothing."""

    key = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=25, choices=DeliveryKind.choices)
    emails = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "envoi d'alertes"
        verbose_name_plural = "envois d'alertes"
        ordering = ["-created_at"]

    def __str__(self):
        return self.key
