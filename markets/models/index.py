from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from core.text import folded_title
from markets.catalogue import catalogue_search


class MarketIndexPage(Page):
    """ "Tous les marchés": the searchable catalogue of framework agreements."""

    intro = RichTextField("introduction", blank=True, features=["bold", "italic", "link"])
    per_page = models.PositiveSmallIntegerField("marchés par page", default=10)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("per_page")]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("folded_title")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["markets.MarketPage"]
    max_count = 1

    class Meta:
        verbose_name = "catalogue des marchés"

    def folded_title(self):
        return folded_title(self)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["catalogue"] = catalogue_search(
            index_page=self, params=request.GET, request=request, index_url=self.get_url(request)
        )
        return context
