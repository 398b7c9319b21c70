"""Signatures in the Wagtail admin: the seal on a subscription's page, the trusted list in Settings."""

from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from subscriptions.viewsets import SUBSCRIPTION_BUTTONS_HOOK

from . import admin_views

app_name = "signatures_admin"
urlpatterns = [
    path("<int:pk>/contresigner/", admin_views.CountersignView.as_view(), name="countersign"),
    path("<int:pk>/convention-signee/", admin_views.SignedConventionFileView.as_view(), name="file"),
    path("liste-de-confiance/", admin_views.TrustedListView.as_view(), name="trusted_list"),
]


@hooks.register("register_admin_urls")
def register_urls():
    return [path("signatures/", include((urlpatterns, app_name), namespace=app_name))]


hooks.register(SUBSCRIPTION_BUTTONS_HOOK, admin_views.inspect_buttons)


class TrustedListMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("signatures.add_trustedlist")


@hooks.register("register_settings_menu_item")
def trusted_list_menu_item():
    return TrustedListMenuItem(
        "Liste de confiance", reverse("signatures_admin:trusted_list"), icon_name="lock", order=900
    )
