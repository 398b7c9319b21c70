from wagtail.contrib.settings.registry import register_setting
from wagtail.snippets.models import register_snippet

from .models import OpenDataSettings
from .viewsets import EssentialDataViewSet, HolderSiretViewSet

register_snippet(EssentialDataViewSet)
register_snippet(HolderSiretViewSet)
register_setting(OpenDataSettings, icon="table")
