from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import slugify
from wagtail.admin.panels import FieldPanel
from wagtail.search import index

from core.validators import validate_siren


class Theme(index.Indexed, models.Model):
    """Two-level taxonomy of the catalogue: Logiciel > Environnement de travail…"""

    name = models.CharField("nom", max_length=100)
    slug = models.SlugField("identifiant d'URL", max_length=100, unique=True, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name="thème parent",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text="Vide pour un thème ; renseigné pour un sous-thème.",
    )
    sort_order = models.PositiveSmallIntegerField("ordre", default=0)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("parent"), FieldPanel("sort_order")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        verbose_name = "thème"
        verbose_name_plural = "thèmes"
        ordering = ["sort_order", "name"]

    def __str__(self):
        return f"{self.parent.name} › {self.name}" if self.parent_id else self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)[:100]
        super().save(*args, **kwargs)

    def clean(self):
        if self.parent_id and (self.parent.parent_id or self.parent_id == self.pk):
            raise ValidationError({"parent": "Un sous-thème doit avoir pour parent un thème de premier niveau."})
        if self.pk and self.parent_id and self.children.exists():
            raise ValidationError({"parent": "Ce thème a des sous-thèmes : il ne peut pas devenir sous-thème."})


class Holder(index.Indexed, models.Model):
    """A supplier holding an agreement or a lot of it (titulaire)."""

    name = models.CharField("nom", max_length=150)
    slug = models.SlugField("identifiant d'URL", max_length=150, unique=True, blank=True)
    siren = models.CharField("SIREN", max_length=9, blank=True, validators=[validate_siren])
    website = models.URLField("site internet", blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image", verbose_name="logo", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("siren"), FieldPanel("website"), FieldPanel("logo")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        verbose_name = "titulaire"
        verbose_name_plural = "titulaires"
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)[:150] or "titulaire"
        super().save(*args, **kwargs)
