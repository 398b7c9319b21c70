from django.urls import path

from . import views

app_name = "proconnect"

urlpatterns = [
    path("connexion/", views.StartView.as_view(), name="start"),
    path("retour/", views.CallbackView.as_view(), name="callback"),
    path("inscription/", views.RegisterView.as_view(), name="register"),
    path("inscription/merci/", views.RegisteredView.as_view(), name="registered"),
    path("lier-mon-compte/", views.LinkView.as_view(), name="link"),
    path("lier-mon-compte/<str:token>/", views.LinkConfirmView.as_view(), name="link_confirm"),
    path("deconnexion/", views.LoggedOutView.as_view(), name="logged_out"),
]
