"""wagtail/bakerydemo's search view, reproduced to compare our keyword search with it.

Source: https://github.com/wagtail/bakerydemo, `bakerydemo/search/views.py` and
`bakerydemo/templates/search/search_results.html` (commit 8e2b625, 2026-08-19). The code
below is that view; what differs is only what our project has instead of theirs:

- their database branch searches their four page types (blog, bread, location, recipe)
  one by one, then filters `Page` by the ids; ours has one, `MarketPage`;
- the template extends our `base.html` (theirs extends their own) and keeps their markup;
- the promoted results need `wagtail.contrib.search_promotions`, which the portal does not
  install: `installing_search_promotions` adds the app and its tables for the run only.
"""

from contextlib import contextmanager

from django.apps import AppConfig, apps
from django.conf import settings
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import connection
from django.shortcuts import render
from django.test.utils import override_settings
from wagtail.models import Page

from .models import MarketPage

SEARCH_PROMOTIONS = "wagtail.contrib.search_promotions"


def search(request):
    from wagtail.contrib.search_promotions.models import Query

    # Search
    search_query = request.GET.get("q", None)
    if search_query:
        if "elasticsearch" in settings.WAGTAILSEARCH_BACKENDS["default"]["BACKEND"]:
            # In production, use ElasticSearch and a simplified search query, per
            # https://docs.wagtail.org/en/stable/topics/search/backends.html
            # like this:
            search_results = Page.objects.live().search(search_query)
        else:
            # If we aren't using ElasticSearch for the demo, fall back to native db search.
            # But native DB search can't search specific fields in our models on a `Page` query.
            # So for demo purposes ONLY, we hard-code in the model names we want to search.
            market_results = MarketPage.objects.live().search(search_query)
            market_page_ids = [p.page_ptr.id for p in market_results]

            page_ids = market_page_ids
            search_results = Page.objects.live().filter(id__in=page_ids)

        query = Query.get(search_query)

        # Record hit
        query.add_hit()

    else:
        search_results = Page.objects.none()

    # Pagination
    page = request.GET.get("page", 1)
    paginator = Paginator(search_results, 10)
    try:
        search_results = paginator.page(page)
    except PageNotAnInteger:
        search_results = paginator.page(1)
    except EmptyPage:
        search_results = paginator.page(paginator.num_pages)

    return render(
        request,
        "markets/benchmark/bakerydemo_search_results.html",
        {
            "search_query": search_query,
            "search_results": search_results,
        },
    )


@contextmanager
def installing_search_promotions():
    """Wagtail's search promotions app and its tables, inside the caller's transaction.

    The app joins the registry alone (`modify_settings(INSTALLED_APPS=…)` would run every
    app's ready() again, which Wagtail refuses) and its template tags are named to the
    template engine. The tables need a database whose schema changes run and roll back
    inside a transaction (`available`); the caller's rollback drops them.
    """
    config = AppConfig.create(SEARCH_PROMOTIONS)
    config.apps = apps
    apps.app_configs[config.label] = config
    try:
        config.import_models()
        apps.clear_cache()
        with connection.schema_editor() as editor:
            for model in config.get_models():
                editor.create_model(model)
        templates = [{**settings.TEMPLATES[0], "OPTIONS": {**settings.TEMPLATES[0]["OPTIONS"]}}]
        templates[0]["OPTIONS"]["libraries"] = {**templates[0]["OPTIONS"].get("libraries", {}), **TAGS}
        with override_settings(TEMPLATES=templates + settings.TEMPLATES[1:]):
            yield
    finally:
        del apps.app_configs[config.label]
        apps.clear_cache()


TAGS = {"wagtailsearchpromotions_tags": f"{SEARCH_PROMOTIONS}.templatetags.wagtailsearchpromotions_tags"}


def available():
    """SQLite's schema editor refuses to run inside a transaction (foreign key checks)."""
    return connection.vendor != "sqlite" and connection.features.can_rollback_ddl
