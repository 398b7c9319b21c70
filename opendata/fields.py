from django import forms
from django.db import models


class ChoiceListField(models.JSONField):
    """A list of values taken from `choices`, stored as JSON, edited as checkboxes.

    The DECP format has several lists of enumerated values (techniques, price types…): one
    field each rather than a table per list.
    """

    def __init__(self, *args, value_choices=(), **kwargs):
        self.value_choices = list(value_choices)
        kwargs.setdefault("default", list)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["value_choices"] = self.value_choices
        return name, path, args, kwargs

    def formfield(self, **kwargs):
        return forms.MultipleChoiceField(
            choices=self.value_choices,
            required=not self.blank,
            widget=forms.CheckboxSelectMultiple,
            label=self.verbose_name.capitalize(),
            help_text=self.help_text,
        )

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        allowed = {choice for choice, _ in self.value_choices}
        if not isinstance(value, list) or any(item not in allowed for item in value):
            from django.core.exceptions import ValidationError

            raise ValidationError("Choisissez des valeurs de la liste.")
