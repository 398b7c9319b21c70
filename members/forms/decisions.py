from django import forms

from .base import BaseForm


class DecisionForm(BaseForm):
    APPROVE = "approve"
    REJECT = "reject"
    missing_reason = "Indiquez le motif du refus : il est envoyé au demandeur."

    decision = forms.ChoiceField(
        label="Décision", choices=[(APPROVE, "Valider"), (REJECT, "Refuser")], widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label="Motif",
        required=False,
        help_text="Obligatoire pour un refus : il est envoyé par e-mail au demandeur.",
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == self.REJECT and not cleaned.get("reason", "").strip():
            self.add_error("reason", self.missing_reason)
        return cleaned
