from django import forms
from django.conf import settings

from core.forms import BaseForm


def _help() -> str:
    limit = settings.SIGNATURES_MAX_BYTES // 1024 // 1024
    return f"Fichier PDF, {limit} Mo et {settings.SIGNATURES_MAX_PAGES} pages au plus."


class PdfForm(BaseForm):
    """One PDF; its content is checked by the service (size first, then the parse's budget)."""

    file = forms.FileField(
        label="Document PDF signé",
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,application/pdf"}),
    )

    def __init__(self, *args, label=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _help()
        if label:
            self.fields["file"].label = label


class TrustedListForm(forms.Form):
    file = forms.FileField(
        label="Liste de confiance (XML)",
        help_text=(
            "Le fichier XML d'une liste de confiance européenne (ETSI TS 119 612), par exemple la liste française."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xml,application/xml,text/xml"}),
    )
