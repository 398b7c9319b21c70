from django import forms

from core.forms import BaseForm

from .models import Frequency, SavedSearch, Source, UsageKind
from .searches import MAX_QUERY_STRING

NAME_LENGTH = SavedSearch._meta.get_field("name").max_length


class SavedSearchCreateForm(BaseForm):
    name = forms.CharField(label="Nom de la recherche", max_length=NAME_LENGTH)
    frequency = forms.ChoiceField(
        label="Recevoir les nouveautés", choices=Frequency.choices, initial=Frequency.WEEKLY, widget=forms.RadioSelect
    )
    source = forms.ChoiceField(choices=Source.choices, widget=forms.HiddenInput)
    criteria = forms.CharField(required=False, max_length=MAX_QUERY_STRING, widget=forms.HiddenInput)


class SavedSearchUpdateForm(BaseForm):
    name = forms.CharField(label="Nom", max_length=NAME_LENGTH)
    frequency = forms.ChoiceField(label="E-mails", choices=Frequency.choices)
    paused = forms.BooleanField(label="En pause", required=False)


class PreferencesForm(BaseForm):
    """The kinds of alerts on what the member uses, ticked when received."""

    kinds = forms.MultipleChoiceField(
        label="Recevoir par e-mail", choices=UsageKind.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
