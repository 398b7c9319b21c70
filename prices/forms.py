from django import forms

from core.forms import BaseForm
from markets.models import Holder, MarketPiece

from .parsing import FIELD_CHOICES

PRICE_PIECE_KINDS = ("bpu", "catalogue", "amendment", "other")


class PiecedChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, piece):
        return f"{piece.market.title} — {piece.title} ({piece.get_audience_display()})"


class UploadForm(BaseForm):
    piece = PiecedChoiceField(
        label="Pièce de prix",
        queryset=MarketPiece.objects.none(),
        help_text="Le public de la pièce (tout public, adhérents, souscripteurs) décide qui voit ses prix.",
    )
    file = forms.FileField(
        label="Nouvelle version du fichier (facultatif)",
        required=False,
        help_text="Un fichier .xlsx, .ods ou .csv ; sans fichier, la pièce elle-même est importée.",
    )
    applies_from = forms.DateField(label="Prix applicables à partir du", widget=forms.DateInput(attrs={"type": "date"}))
    holder = forms.ModelChoiceField(label="Titulaire", queryset=Holder.objects.all(), required=False)
    lot = forms.CharField(label="Lot", max_length=150, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["piece"].queryset = (
            MarketPiece.objects.filter(kind__in=PRICE_PIECE_KINDS)
            .select_related("market")
            .order_by("market__title", "sort_order")
        )


class MappingForm(BaseForm):
    """One select per field, choosing among the file's headers."""

    def __init__(self, *args, headers, columns, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "— aucune —"), *[(h, h) for h in headers]]
        for name, label in FIELD_CHOICES:
            self.fields[name] = forms.ChoiceField(
                label=label, choices=choices, required=False, initial=columns.get(name, "")
            )

    def columns(self):
        return {name: header for name, header in self.cleaned_data.items() if header}
