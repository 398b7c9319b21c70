"""A search backend that answers with matching objects only, as Elasticsearch does.

The database backends hand their search over as a queryset, which the catalogue reuses as
a subquery; an external engine cannot. This one is the database backend with that door
closed, so the tests run the catalogue's other path (ids in relevance order) without an
Elasticsearch server.
"""

from modelsearch.backends.database import SearchBackend as database_backend


def SearchBackend(params):  # noqa: N802  (Wagtail looks the backend up by this name)
    backend = database_backend(params)
    base = backend.results_class

    class ObjectsOnlyResults(base):
        def __getattribute__(self, name):
            if name == "get_queryset":
                raise AttributeError(name)
            return object.__getattribute__(self, name)

        def _do_search(self):
            return list(base.get_queryset(self))

        def _do_count(self):
            return base.get_queryset(self).count()

    backend.results_class = ObjectsOnlyResults
    return backend
