from django import forms

from core.forms import BaseForm

from . import selectors
from .spreadsheet import max_bytes


class GroupementUploadForm(BaseForm):
    """Name the groupement, say which agreement it is for, and send the filled spreadsheet."""

    name = forms.CharField(
        label="Nom du groupement",
        max_length=150,
        help_text="Par exemple « CANUT_MAT_NEUF2 » : le nom sous lequel vous le retrouverez au moment de souscrire.",
    )
    parent = forms.ModelChoiceField(
        label="Établissement parent",
        queryset=None,
        empty_label=None,
        help_text="L'établissement qui souscrira pour le groupement ; il doit être validé par la CANUT.",
    )
    market = forms.ModelChoiceField(
        label="Accord-cadre souhaité",
        queryset=None,
        required=False,
        empty_label="— Je ne sais pas encore —",
    )
    spreadsheet = forms.FileField(
        label="Tableur complété (.xlsx)",
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = selectors.groupement_parent_choices(user=user)
        self.fields["market"].queryset = selectors.groupement_market_choices()
        limit = max_bytes() // (1024 * 1024)
        self.fields[
            "spreadsheet"
        ].help_text = f"Le tableur téléchargé ci-dessus, une ligne par établissement enfant ; {limit} Mo au plus."
        for name, field in self.fields.items():
            if field.help_text:
                field.widget.attrs.setdefault("aria-describedby", f"id_{name}_helptext")
