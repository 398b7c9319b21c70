import json
from urllib.parse import urlsplit

from django.http import QueryDict
from django.views.generic import TemplateView

from directory.company_register import UNAVAILABLE_MESSAGE
from directory.selectors import establishment_search
from members.forms import EstablishmentSearchForm
from members.selectors import establishment_choice


class EstablishmentSearchMixin:
    """The search box above an establishment form: GET ?q= lists matches (without
    JavaScript too), GET ?siret= picks one and fills the form below."""

    results_anchor = "etablissement"

    def get_search(self):
        if not hasattr(self, "_search"):
            self._search = establishment_search(query=self.request.GET.get("q", ""))
        return self._search

    def get_choice(self):
        if not hasattr(self, "_choice"):
            siret = self.request.GET.get("siret")
            self._choice = establishment_choice(siret=siret) if siret else None
        return self._choice

    def search_initial(self):
        """Fields to prefill: the picked establishment, or a SIRET typed in the search box."""
        choice = self.get_choice()
        if choice:
            return dict(choice)
        search = self.get_search()
        digits = "".join(c for c in search.query if c.isdigit())
        if not search.results and len(digits) == 14 and len(search.query.replace(" ", "")) == 14:
            return {"siret": digits, "siren": digits[:9]}
        return {}

    def help_origin(self):
        """The page the member searches from, for the assistance link's context."""
        return self.request.path

    def search_context(self):
        search = self.get_search()
        results = []
        for result in search.results:
            params = QueryDict(mutable=True)
            params.update({"q": search.query, "siret": result.siret})
            results.append(
                {
                    "label": result.label,
                    "url": f"?{params.urlencode()}#{self.results_anchor}",
                    "data": json.dumps(result.as_establishment_data()),
                }
            )
        return {
            "search": search,
            "search_form": EstablishmentSearchForm(self.request.GET or None),
            "results": results,
            "unavailable_message": UNAVAILABLE_MESSAGE,
            "form_anchor": self.results_anchor,
            "help_origin": self.help_origin(),
            "chosen": self.get_choice(),
        }


class EstablishmentSearchResultsView(EstablishmentSearchMixin, TemplateView):
    """The results list alone, fetched as the member types (static/js/establishment-search.js)."""

    template_name = "members/includes/establishment_results.html"

    def help_origin(self):
        # Fetched by the page's script: the page is the one the member is on.
        referer = urlsplit(self.request.headers.get("Referer", ""))
        if referer.netloc == self.request.get_host() and referer.path.startswith("/"):
            return referer.path
        return super().help_origin()

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **self.search_context()}
