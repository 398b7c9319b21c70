"""Wagtail's engine backends (OpenSearch 2, Elasticsearch 9) as the public searches need them.

Three changes, the same for both engines (`french_backend`):
- the engine holds only what the public may find: the root models it is given
  (PUBLIC_MODELS), and of pages the live ones under no privacy restriction. A page
  unpublished or made private is taken out when it is saved again (its restriction's
  signal saves it, search.signals); Wagtail's admin searches the database backend.
- suggestions read what a visitor typed with the French start of the analysis (elision,
  lowercase, accent folding: search.config.FRENCH_ANALYSIS), not the standard analyzer;
- a facet counts every value, not the engine's first ten; a search may filter on a list
  a document carries (`filter_terms`).
"""

from django.apps import apps
from wagtail.models import Page, PageViewRestriction

FACET_SIZE = 10_000


def _root_label(model):
    root = model
    for parent in model._meta.get_parent_list():
        root = parent  # the last is the root of multi-table inheritance
    return root._meta.label_lower


def public_pages(pages):
    """The pages of `pages` anyone may read: live, below no privacy restriction."""
    private = list(PageViewRestriction.objects.values_list("page__path", flat=True))
    return [page for page in pages if page.live and not any(page.path.startswith(path) for path in private)]


def french_backend(base):
    """`base`'s SearchBackend class, as the module docstring says."""

    class Mapping(base.mapping_class):
        edgengram_analyzer_config = {"analyzer": "edgengram_analyzer", "search_analyzer": "french_prefix"}

    class SearchQueryCompiler(base.query_compiler_class):
        mapping_class = Mapping
        extra_filters = ()

        def filter_terms(self, field_name, values):
            """Keep the documents whose `field_name` (a FilterField, a list of values possibly)
            holds one of `values`: a filter a Django queryset cannot say (holder_ids)."""
            column = self.mapping.get_field_column_name(self._get_filterable_field(field_name))
            self.extra_filters = [*self.extra_filters, {"terms": {column: list(values)}}]

        def get_filters(self):
            return [*super().get_filters(), *self.extra_filters]

    class AutocompleteQueryCompiler(base.autocomplete_query_compiler_class):
        mapping_class = Mapping

    class SearchResults(base.results_class):
        def _backend_do_search(self, body, **kwargs):
            for aggregation in body.get("aggregations", {}).values():
                aggregation["terms"].setdefault("size", FACET_SIZE)
            return super()._backend_do_search(body, **kwargs)

    class Index(base.index_class):
        def add_model(self, model):
            if self.backend.serves(model):
                super().add_model(model)

        def add_item(self, item):
            self.add_items(type(item), [item])

        def add_items(self, model, items):
            if not self.backend.serves(model):
                return
            items = list(items)
            if issubclass(model, Page):
                public = public_pages(items)
                kept = {page.pk for page in public}
                for page in items:
                    if page.pk not in kept:
                        self.delete_item(page)
                items = public
            if items:
                super().add_items(model, items)

        def delete_item(self, item):
            if self.backend.serves(type(item)):
                super().delete_item(item)  # a document never indexed (a draft, a private page) is no error

    class SearchBackend(base):
        mapping_class = Mapping
        index_class = Index
        query_compiler_class = SearchQueryCompiler
        autocomplete_query_compiler_class = AutocompleteQueryCompiler
        results_class = SearchResults
        # Saving must not fail with the engine down; the engine's log (and update_index) tell.
        catch_indexing_errors = True

        def __init__(self, params):
            params = dict(params)
            self.public_models = {label.lower() for label in params.pop("PUBLIC_MODELS", ["wagtailcore.page"])}
            super().__init__(params)

        def serves(self, model):
            return _root_label(model) in self.public_models

        def served_models(self):
            return [model for model in apps.get_models() if self.serves(model)]

    return SearchBackend
