from django import forms
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.views import View
from django.views.generic import TemplateView
from wagtail.models import Page

from core.forms import ParamsForm, TruncatedCharField
from core.search import engine_or_database
from core.text import MAX_QUERY_LENGTH, fold_query
from markets.access import hidden_paths, privacy_filter
from markets.catalogue import catalogue_candidates
from markets.catalogue_engine import suggestions
from markets.models import MarketIndexPage


class SearchParamsForm(ParamsForm):
    q = TruncatedCharField(length=MAX_QUERY_LENGTH, initial="")
    page = forms.IntegerField(min_value=1, max_value=1_000_000, required=False, initial=1)


RESULTS_PER_PAGE = 10


class SiteSearchView(TemplateView):
    """Search across the showcase and the catalogue; market filters live in "Tous les marchés".

    On the engine when one is configured, on the database while it does not answer.
    """

    template_name = "search/search_results.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        params = SearchParamsForm(self.request.GET).values()
        query = params["q"]
        folded = fold_query(query)
        pages = Page.objects.live().filter(privacy_filter(self.request)).specific()

        def run(backend):
            results = pages.search(folded, operator="and", backend=backend) if folded else Page.objects.none()
            page = Paginator(results, RESULTS_PER_PAGE).get_page(params["page"])
            page.object_list = list(page.object_list)  # read here: an engine error falls back
            return page

        context.update(query=query, results=engine_or_database(run, what="site search"))
        return context


class SuggestionsView(View):
    """What the catalogue's search box suggests as a visitor types: JSON, at most a few."""

    def get(self, request):
        query = SearchParamsForm(request.GET).values()["q"]
        index_page = MarketIndexPage.objects.live().first()
        if index_page is None:
            return JsonResponse({"suggestions": []})
        candidates = catalogue_candidates(index_page, hidden_paths(request), status=None)
        index_url = index_page.get_url(request) or "/"

        def run(backend):
            return suggestions(candidates=candidates, query=query, index_url=index_url, backend=backend)

        found = engine_or_database(run, what="suggestions")
        return JsonResponse({"suggestions": found})
