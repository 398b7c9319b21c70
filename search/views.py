from django.core.paginator import Paginator
from django.views.generic import TemplateView
from wagtail.models import Page

from core.text import fold_query


class SiteSearchView(TemplateView):
    """Search across the showcase and the catalogue; market filters live in "Tous les marchés"."""

    template_name = "search/search_results.html"
    paginate_by = 10

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = (self.request.GET.get("q") or "").strip()[:200]
        folded = fold_query(query)
        results = (
            Page.objects.live().public().specific().search(folded, operator="and") if folded else Page.objects.none()
        )
        context.update(query=query, results=Paginator(results, self.paginate_by).get_page(self.request.GET.get("page")))
        return context
