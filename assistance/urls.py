"""The requester's pages, under /assistance/ (the seed's platform uses the same word)."""

from django.urls import path

from . import views

app_name = "assistance"

REFERENCE = "<slug:reference>"  # AS-2026-000123: letters, digits and dashes only

urlpatterns = [
    path("", views.RequestView.as_view(), name="request"),
    path("faq-utile/", views.FaqSolvedView.as_view(), name="faq_solved"),
    path("guide-utilisation/", views.UserGuideView.as_view(), name="user_guide"),
    path("suivi/<str:token>/", views.AccessView.as_view(), name="access"),
    path("demandes/", views.MyRequestsView.as_view(), name="list"),
    path(f"demandes/{REFERENCE}/", views.RequestDetailView.as_view(), name="detail"),
    path(f"demandes/{REFERENCE}/fermer/", views.RequestCloseView.as_view(), name="close"),
    path(f"demandes/{REFERENCE}/pieces/<id:pk>/", views.AttachmentDownloadView.as_view(), name="attachment"),
]
