from django import forms
from django.core.paginator import Paginator
from django.views.generic import TemplateView
from wagtail.models import Page

from core.forms import ParamsForm, TruncatedCharField
from core.text import MAX_QUERY_LENGTH, fold_query
from markets.access import privacy_filter


class SearchParamsForm(ParamsForm):
    q = TruncatedCharField(length=MAX_QUERY_LENGTH, initial="")
    page = forms.IntegerField(min_value=1, max_value=1_000_000, required=False, initial=1)


class SiteSearchView(TemplateView):
    """Search across the showcase and the catalogue; market filters live in "Tous les marchés"."""

    template_name = "search/search_results.html"
    paginate_by = 10

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        params = SearchParamsForm(self.request.GET).values()
        query = params["q"]
        folded = fold_query(query)
        results = (
            Page.objects.live().filter(privacy_filter(self.request)).specific().search(folded, operator="and")
            if folded
            else Page.objects.none()
        )
        context.update(query=query, results=Paginator(results, self.paginate_by).get_page(params["page"]))
        return context
