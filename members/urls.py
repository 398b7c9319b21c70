from django.contrib.auth import views as auth_views
from django.urls import include, path

from .forms import LoginForm

app_name = "members"

urlpatterns = [
    path("connexion/", auth_views.LoginView.as_view(template_name="members/login.html", authentication_form=LoginForm), name="login"),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("groupements/", include("members.groupements.urls")),
    path("", include("members.subscriptions.urls")),
]
