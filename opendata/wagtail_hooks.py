from django.urls import path
from wagtail import hooks
from wagtail.contrib.settings.registry import register_setting
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from .models import LotEssentialData, OpenDataSettings
from .views import cpv_search_view
from .viewsets import EssentialDataViewSet, HolderSiretViewSet, LotEssentialDataViewSet, LotRowsPolicy

register_permission_policy(LotEssentialData, LotRowsPolicy(LotEssentialData), exact_class=True)
register_snippet(EssentialDataViewSet)
register_snippet(LotEssentialDataViewSet)
register_snippet(HolderSiretViewSet)
register_setting(OpenDataSettings, icon="table")


@hooks.register("register_admin_urls")
def register_cpv_search():
    # Under /admin/: Wagtail lets only those with admin access in.
    return [path("donnees-ouvertes/cpv/", cpv_search_view, name="opendata_cpv_search")]
