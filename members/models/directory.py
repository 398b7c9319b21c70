"""The directory of known public establishments that feeds the registration search.

Reference data (INSEE's SIRENE stock, see ``import_establishments``), kept apart from
``Establishment``, which holds the bodies that registered. Searching 100,000 entries must
take milliseconds on SQLite and PostgreSQL alike, so the search never scans: every word of
an entry's folded name and city is a ``DirectoryWord`` row, and a query word is a prefix
range on the (word, entry) index; SIRET prefixes and postcodes have their own indexes.
"""

import unicodedata

from django.db import models

from markets.search_text import fold


class DirectoryEntry(models.Model):
    siret = models.CharField("SIRET", max_length=14, unique=True)
    siren = models.CharField("SIREN", max_length=9, db_index=True)
    name = models.CharField("nom", max_length=255)
    # Folded (lowercase, accentless) name: the sort key of search results.
    name_folded = models.CharField(max_length=255, editable=False)
    ape_code = models.CharField("code APE", max_length=6, blank=True)
    legal_category = models.CharField("catégorie juridique", max_length=4, blank=True)
    is_head_office = models.BooleanField("siège", default=False)
    street_number = models.CharField("numéro de voie", max_length=20, blank=True)
    street_name = models.CharField("libellé voie", max_length=255, blank=True)
    address_complement = models.CharField("complément d'adresse", max_length=255, blank=True)
    postcode = models.CharField("code postal", max_length=5, blank=True, db_index=True)
    city = models.CharField("commune", max_length=255, blank=True)
    special_distribution = models.CharField("distribution spéciale", max_length=255, blank=True)
    cedex_code = models.CharField("code Cedex", max_length=9, blank=True)
    cedex_label = models.CharField("libellé Cedex", max_length=255, blank=True)
    updated_at = models.DateTimeField("mis à jour le", auto_now=True)

    # Fields an import compares to tell an update from an unchanged row.
    DATA_FIELDS = (
        "siren",
        "name",
        "ape_code",
        "legal_category",
        "is_head_office",
        "street_number",
        "street_name",
        "address_complement",
        "postcode",
        "city",
        "special_distribution",
        "cedex_code",
        "cedex_label",
    )

    class Meta:
        verbose_name = "entrée de l'annuaire"
        verbose_name_plural = "annuaire des établissements"
        # No index on name_folded, on purpose: with one, PostgreSQL answers a common word
        # ("commune") by walking the names in order and probing each, 100 times slower than
        # sorting the few thousand matches the word index gives.
        ordering = ["name_folded", "siret"]

    def __str__(self):
        return self.label

    def save(self, *args, **kwargs):
        self.name_folded = fold_name(self.name)
        super().save(*args, **kwargs)

    @property
    def label(self):
        """As the registration lists it: NAME [SIRET: …] - [Commune: CITY (POSTCODE)]."""
        return f"{self.name} [SIRET: {self.siret}] - [Commune: {self.city} ({self.postcode})]"

    def words(self):
        """The distinct search words of this entry: its folded name and city."""
        return sorted(set(fold(f"{self.name} {self.city}").split()))

    def as_establishment_data(self):
        data = {field: getattr(self, field) for field in ESTABLISHMENT_FIELDS if hasattr(self, field)}
        data["siret"] = self.siret
        return data


def fold_name(name):
    """Sort key: accentless lowercase, every word kept (stop words matter for order)."""
    decomposed = unicodedata.normalize("NFKD", name or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower().strip()[:255]


class DirectoryWord(models.Model):
    entry = models.ForeignKey(DirectoryEntry, on_delete=models.CASCADE, related_name="search_words")
    word = models.CharField(max_length=60)

    class Meta:
        verbose_name = "mot de l'annuaire"
        indexes = [
            # varchar_pattern_ops lets PostgreSQL serve LIKE 'prefix%' whatever the database
            # collation; other databases ignore opclasses and build a plain index.
            models.Index(
                fields=["word", "entry"], name="directory_word_idx", opclasses=["varchar_pattern_ops", "int8_ops"]
            ),
        ]

    def __str__(self):
        return self.word


ESTABLISHMENT_FIELDS = (
    "name",
    "siren",
    "siret",
    "ape_code",
    "street_number",
    "street_name",
    "address_complement",
    "postcode",
    "city",
    "special_distribution",
    "cedex_code",
    "cedex_label",
)
