from django.urls import path

from . import views

app_name = "groupements"

urlpatterns = [
    path("", views.GroupementListView.as_view(), name="list"),
    path("tableur/", views.GroupementTemplateDownloadView.as_view(), name="template"),
    path("nouveau/", views.GroupementCreateView.as_view(), name="create"),
    path("<id:pk>/", views.GroupementDetailView.as_view(), name="detail"),
    path("<id:pk>/tableur/", views.GroupementSpreadsheetDownloadView.as_view(), name="spreadsheet"),
]
