from django.urls import path

from . import views

app_name = "signatures"

urlpatterns = [
    path("verifier-une-signature/", views.PublicVerifyView.as_view(), name="verify"),
    path(
        "compte/souscriptions/<id:pk>/convention-signee/",
        views.SignedConventionView.as_view(),
        name="signed_convention",
    ),
    path(
        "compte/souscriptions/<id:pk>/convention-signee.pdf",
        views.SignedConventionDownloadView.as_view(),
        name="signed_convention_file",
    ),
]
