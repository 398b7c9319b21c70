from django.urls import path

from .views import SiteSearchView

app_name = "search"

urlpatterns = [path("", SiteSearchView.as_view(), name="results")]
