from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .admin_views import PERMISSION, ImportDetailView, ImportIndexView

urlpatterns = [
    path("", ImportIndexView.as_view(), name="index"),
    path("<id:pk>/", ImportDetailView.as_view(), name="detail"),
]


@hooks.register("register_admin_urls")
def register_urls():
    return [path("prix/", include((urlpatterns, "prices_admin"), namespace="prices_admin"))]


class PricesMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(PERMISSION)


@hooks.register("register_admin_menu_item")
def register_menu_item():
    return PricesMenuItem("Imports de prix", reverse("prices_admin:index"), icon_name="table", order=450)
