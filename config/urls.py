from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("compte/", include("members.urls")),
    path("compte/groupements/", include("groupements.urls")),
    path("compte/", include("subscriptions.urls")),
    path("compte/factures/", include("billing.urls")),
    path("recherche/", include("search.urls")),
    path("assistance/", include("assistance.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    # Images only (holder logos…): market documents live in private storage, never here.
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]
