from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from .forms import LoginForm, PasswordResetForm
from .forms.auth import SetPasswordForm
from .views.account import AccountEditView, AccountView, MemberHomeView, PasswordChangeView
from .views.auth import LogoutView, PasswordResetView
from .views.confirmation import EmailConfirmResendView, EmailConfirmView
from .views.establishments import (
    EstablishmentAddView,
    EstablishmentEditView,
    EstablishmentLeaveView,
    EstablishmentListView,
    JoinObjectionView,
)
from .views.registration import RegistrationDoneView, RegistrationEstablishmentView, RegistrationPersonalView
from .views.search import EstablishmentSearchResultsView

app_name = "members"

urlpatterns = [
    path("", MemberHomeView.as_view(), name="home"),
    path(
        "connexion/",
        auth_views.LoginView.as_view(template_name="members/login.html", authentication_form=LoginForm),
        name="login",
    ),
    path("deconnexion/", LogoutView.as_view(), name="logout"),
    path(
        "mot-de-passe-oublie/",
        PasswordResetView.as_view(
            form_class=PasswordResetForm,
            template_name="members/password_reset_form.html",
            success_url=reverse_lazy("members:password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "mot-de-passe-oublie/envoye/",
        auth_views.PasswordResetDoneView.as_view(template_name="members/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "reinitialiser/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            form_class=SetPasswordForm,
            template_name="members/password_reset_confirm.html",
            success_url=reverse_lazy("members:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "reinitialiser/termine/",
        auth_views.PasswordResetCompleteView.as_view(template_name="members/password_reset_complete.html"),
        name="password_reset_complete",
    ),
    path("inscription/", RegistrationEstablishmentView.as_view(), name="register"),
    path("inscription/informations-personnelles/", RegistrationPersonalView.as_view(), name="register_personal"),
    path("inscription/merci/", RegistrationDoneView.as_view(), name="register_done"),
    path("confirmer/renvoyer/", EmailConfirmResendView.as_view(), name="email_confirm_resend"),
    path("confirmer/<str:token>/", EmailConfirmView.as_view(), name="email_confirm"),
    path("annuaire/", EstablishmentSearchResultsView.as_view(), name="establishment_search"),
    path("mon-compte/", AccountView.as_view(), name="account"),
    path("mon-compte/modifier/", AccountEditView.as_view(), name="account_edit"),
    path("mon-compte/mot-de-passe/", PasswordChangeView.as_view(), name="password_change"),
    path("etablissements/", EstablishmentListView.as_view(), name="establishments"),
    path("etablissements/ajouter/", EstablishmentAddView.as_view(), name="establishment_add"),
    path("etablissements/<id:pk>/modifier/", EstablishmentEditView.as_view(), name="establishment_edit"),
    path("etablissements/demandes/<id:pk>/opposition/", JoinObjectionView.as_view(), name="join_objection"),
    path("etablissements/<id:pk>/quitter/", EstablishmentLeaveView.as_view(), name="establishment_leave"),
]
