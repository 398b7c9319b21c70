"""The directory of known public establishments that feeds the establishment search.

Reference data (INSEE's SIRENE stock, see ``import_establishments``), kept apart from the
establishments that registered (members). Searching 100,000 entries must take milliseconds
on SQLite and PostgreSQL alike, so the search never scans: every word of an entry's folded
name and city is a ``DirectoryWord`` row, and a query word is a prefix range on the
(word, entry) index; SIRET prefixes and postcodes have their own indexes.
"""

from django.db import models

from core.text import fold, fold_name

from . import lookups  # noqa: F401  (registers the folded_prefix lookup)


class PostalAddress(models.Model):
    """A French postal address as SIRENE splits it; the one list of address fields."""

    street_number = models.CharField("numéro de voie", max_length=20, blank=True)
    street_name = models.CharField("libellé voie", max_length=255, blank=True)
    address_complement = models.CharField("complément d'adresse", max_length=255, blank=True)
    postcode = models.CharField("code postal", max_length=5, blank=True)
    city = models.CharField("commune", max_length=255, blank=True)
    special_distribution = models.CharField("distribution spéciale", max_length=255, blank=True)
    cedex_code = models.CharField("code Cedex", max_length=9, blank=True)
    cedex_label = models.CharField("libellé Cedex", max_length=255, blank=True)

    class Meta:
        abstract = True

    @property
    def address_lines(self):
        street = " ".join(part for part in (self.street_number, self.street_name) if part)
        city = " ".join(part for part in (self.postcode, self.city) if part)
        return [line for line in (street, self.address_complement, city) if line]


def establishment_label(*, name, siret, city, postcode):
    """As the search lists an establishment: NAME [SIRET: …] - [Commune: CITY (POSTCODE)],
    leaving out what is empty rather than printing "Commune:  ()"."""
    place = city
    if postcode:
        place = f"{city} ({postcode})" if city else postcode
    label = f"{name} [SIRET: {siret}]"
    return f"{label} - [Commune: {place}]" if place else label


ADDRESS_FIELDS = tuple(field.name for field in PostalAddress._meta.local_fields)
# What the directory knows of an establishment, and fills in when a member picks it.
REFERENCE_FIELDS = ("name", "siren", "siret", "ape_code", *ADDRESS_FIELDS)


class DirectoryEntry(PostalAddress):
    siret = models.CharField("SIRET", max_length=14, unique=True)
    siren = models.CharField("SIREN", max_length=9, db_index=True)
    name = models.CharField("nom", max_length=255)
    # Folded (lowercase, accentless) name: the sort key of search results.
    name_folded = models.CharField(max_length=255, editable=False)
    ape_code = models.CharField("code APE", max_length=6, blank=True)
    legal_category = models.CharField("catégorie juridique", max_length=4, blank=True)
    is_head_office = models.BooleanField("siège", default=False)
    updated_at = models.DateTimeField("mis à jour le", auto_now=True)

    # Fields an import compares to tell an update from an unchanged row.
    DATA_FIELDS = tuple(name for name in REFERENCE_FIELDS if name != "siret") + ("legal_category", "is_head_office")

    class Meta:
        verbose_name = "entrée de l'annuaire"
        verbose_name_plural = "annuaire des établissements"
        # No index on name_folded, on purpose: with one, PostgreSQL answers a common word
        # ("commune") by walking the names in order and probing each, 100 times slower than
        # sorting the few thousand matches the word index gives.
        ordering = ["name_folded", "siret"]
        indexes = [models.Index(fields=["postcode"], name="directory_postcode_idx")]

    def __str__(self):
        return self.label

    def save(self, *args, **kwargs):
        self.name_folded = fold_name(self.name)
        super().save(*args, **kwargs)

    @property
    def label(self):
        return establishment_label(name=self.name, siret=self.siret, city=self.city, postcode=self.postcode)

    def words(self):
        """The distinct search words of this entry: its folded name and city."""
        return sorted(set(fold(f"{self.name} {self.city}").split()))

    def as_establishment_data(self):
        return {name: getattr(self, name) for name in REFERENCE_FIELDS}


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
