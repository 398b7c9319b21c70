"""wagtail/bakerydemo's search view, reproduced to compare our keyword search with it.

Source: https://github.com/wagtail/bakerydemo, `bakerydemo/search/views.py` and
`bakerydemo/templates/search/search_results.html` (commit 8e2b625, 2026-08-19). The code
below is that view; what differs is only what our project has instead of theirs:

- their database branch searches their four page types (blog, bread, location, recipe)
  one by one, then filters `Page` by the ids; ours has one, `MarketPage`;
- the template extends our `base.html` (theirs extends their own) and keeps their markup;
- the promoted results need `wagtail.contrib.search_promotions`, which the portal does not
  install: the bench settings (`config.settings.bench`) do; see `available` for its tables.
"""

from django.apps import apps
from django.conf import settings
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import connection
from django.shortcuts import render
from wagtail.models import Page

from markets.models import MarketPage

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
        "benchmarks/bakerydemo_search_results.html",
        {
            "search_query": search_query,
            "search_results": search_results,
        },
    )


def available():
    """Whether the view can be measured: the search promotions app installed and its tables there.

    The tables are there when the database was migrated with the bench settings. Otherwise
    they are created now, inside the caller's transaction, where the database rolls schema
    changes back (PostgreSQL): the caller's rollback drops them. SQLite's schema editor
    refuses to run inside a transaction (foreign key checks): not measured there.
    """
    if not apps.is_installed(SEARCH_PROMOTIONS):
        return False
    models = list(apps.get_app_config("wagtailsearchpromotions").get_models())
    existing = set(connection.introspection.table_names())
    missing = [model for model in models if model._meta.db_table not in existing]
    if not missing:
        return True
    if connection.vendor == "sqlite" or not connection.features.can_rollback_ddl or not connection.in_atomic_block:
        return False
    with connection.schema_editor() as editor:
        for model in missing:
            editor.create_model(model)
    return True
