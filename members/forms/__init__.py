from .account import AccountChangeForm
from .auth import LoginForm, PasswordResetForm
from .base import BaseForm
from .decisions import DecisionForm
from .establishments import EstablishmentForm, EstablishmentSearchForm
from .registration import PersonalInfoForm

__all__ = [
    "AccountChangeForm",
    "BaseForm",
    "DecisionForm",
    "EstablishmentForm",
    "EstablishmentSearchForm",
    "LoginForm",
    "PasswordResetForm",
    "PersonalInfoForm",
]
