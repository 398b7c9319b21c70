from .account import AccountChangeForm
from .auth import LoginForm, PasswordResetForm
from .establishments import EstablishmentForm, EstablishmentSearchForm
from .registration import PersonalInfoForm

__all__ = [
    "AccountChangeForm",
    "EstablishmentForm",
    "EstablishmentSearchForm",
    "LoginForm",
    "PasswordResetForm",
    "PersonalInfoForm",
]
