from django.urls import path

from .views import SiteSearchView, SuggestionsView

app_name = "search"

urlpatterns = [
    path("", SiteSearchView.as_view(), name="results"),
    path("suggestions/", SuggestionsView.as_view(), name="suggestions"),
]
