from .account import AccountChangeForm
from .auth import EmailForm, JoinObjectionForm, LoginForm, PasswordResetForm
from .establishments import EstablishmentForm, EstablishmentSearchForm
from .registration import PersonalInfoForm

__all__ = [
    "AccountChangeForm",
    "EmailForm",
    "EstablishmentForm",
    "EstablishmentSearchForm",
    "JoinObjectionForm",
    "LoginForm",
    "PasswordResetForm",
    "PersonalInfoForm",
]
