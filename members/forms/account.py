from core.forms import BaseForm

from .registration import PersonalFieldsMixin


class AccountChangeForm(PersonalFieldsMixin, BaseForm):
    """ "Modifier mon compte": every change waits for staff validation."""
