"""The help content editors write: request subjects, their frequently asked questions, and
the public FAQ page built from them."""

from django.db import models
from django.db.models import Prefetch
from django.utils.text import slugify
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.rich_text import get_text_for_indexing
from wagtail.search import index

from core.text import fold

ANSWER_FEATURES = ["bold", "italic", "link", "document-link", "ol", "ul"]


class Subject(Orderable):
    """What a request is about ("Inscription et compte", "Groupements"…): the list "Ma demande"."""

    name = models.CharField("intitulé", max_length=100, unique=True)
    slug = models.SlugField("identifiant d'URL", max_length=100, unique=True, blank=True)
    description = models.CharField(
        "précision", max_length=255, blank=True, help_text="Affichée sous la liste « Ma demande » une fois choisi."
    )
    active = models.BooleanField("proposé aux demandeurs", default=True)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description"), FieldPanel("active")]

    class Meta(Orderable.Meta):
        verbose_name = "sujet de demande"
        verbose_name_plural = "sujets de demande"
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)[:100]
        super().save(*args, **kwargs)


class FaqEntryQuerySet(models.QuerySet):
    def live(self):
        return self.filter(live=True, subject__active=True)


class FaqEntry(Orderable):
    """One question and its answer, under a subject: shown in the request form and on the FAQ page."""

    subject = models.ForeignKey(Subject, verbose_name="sujet", on_delete=models.CASCADE, related_name="faq_entries")
    question = models.CharField("question", max_length=255)
    answer = RichTextField("réponse", features=ANSWER_FEATURES)
    live = models.BooleanField("publiée", default=True)

    objects = FaqEntryQuerySet.as_manager()

    panels = [FieldPanel("subject"), FieldPanel("question"), FieldPanel("answer"), FieldPanel("live")]

    class Meta(Orderable.Meta):
        verbose_name = "question fréquente"
        verbose_name_plural = "questions fréquentes"

    def __str__(self):
        return self.question


class FaqResolution(models.Model):
    """ "La FAQ m'a permis de résoudre mon problème": counted, nothing personal kept."""

    subject = models.ForeignKey(Subject, verbose_name="sujet", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("le", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "demande résolue par la FAQ"
        verbose_name_plural = "demandes résolues par la FAQ"

    def __str__(self):
        return f"{self.subject} — {self.created_at:%d/%m/%Y}"


def subjects_with_entries():
    """Active subjects that have published questions, each with them in the editors' order."""
    entries = FaqEntry.objects.filter(live=True).order_by("sort_order", "pk")
    return (
        Subject.objects.filter(active=True, faq_entries__live=True)
        .distinct()
        .order_by("sort_order", "name")
        .prefetch_related(Prefetch("faq_entries", queryset=entries, to_attr="live_entries"))
    )


class FaqPage(Page):
    """ "Questions fréquentes": every published entry, by subject; found by the site search."""

    introduction = models.TextField("chapô", blank=True)

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    search_fields = Page.search_fields + [index.SearchField("introduction"), index.SearchField("search_text")]

    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count = 1
    template = "assistance/faq_page.html"

    class Meta:
        verbose_name = "page des questions fréquentes"

    def search_text(self):
        """The title and the questions and answers, folded (see core.text) so keywords forgive accents and plurals."""
        # Its title and the name everyone gives it, then every question and answer.
        parts = [self.title, "FAQ"]
        for subject in subjects_with_entries():
            parts.append(subject.name)
            for entry in subject.live_entries:
                parts += [entry.question, get_text_for_indexing(entry.answer)]
        return fold(" ".join(parts))

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["subjects"] = subjects_with_entries()
        return context
