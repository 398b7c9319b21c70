from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls

from core.availability import health
from markets.documents_access import document_urls
from opendata.api import api_router
from opendata.views import openapi

handler500 = "core.availability.server_error"  # the 503 page when the database is down

urlpatterns = [
    path("sante/", health, name="health"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(document_urls)),  # Wagtail's, with the private-download headers
    path("compte/proconnect/", include("proconnect.urls")),
    path("compte/", include("members.urls")),
    path("compte/groupements/", include("groupements.urls")),
    path("compte/", include("subscriptions.urls")),
    path("compte/factures/", include("billing.urls")),
    path("", include("alerts.urls")),
    path("titulaire/", include("holders.urls")),
    path("recherche/", include("search.urls")),
    path("assistance/", include("assistance.urls")),
    path("prix/", include("prices.urls")),
    path("simulations/", include("simulations.urls")),
    path("donnees/", include("opendata.urls")),
    path("", include("signatures.urls")),
    path("api/v2/openapi.json", openapi, name="api_openapi"),
    path("api/v2/", api_router.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    # Images only (holder logos…): market documents live in private storage, never here.
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]

# Error pages: templates/400.html, 404.html, 500.html through Django's views; 403 shows
# the next step a Refusal names (core.errors).
handler403 = "core.errors.permission_denied"
