from django import forms

from .models import AssociationStanding


class SubscriptionMode:
    ESTABLISHMENT = "establishment"
    GROUPEMENT = "groupement"
    CHOICES = [(ESTABLISHMENT, "Pour un établissement"), (GROUPEMENT, "Pour un groupement")]


class SubscriptionRequestForm(forms.Form):
    """ "Mon adhésion". The establishment, or the groupement, is chosen among the user's (the view checks it)."""

    mode = forms.ChoiceField(
        label="Mode d'adhésion",
        choices=SubscriptionMode.CHOICES,
        initial=SubscriptionMode.ESTABLISHMENT,
        widget=forms.RadioSelect,
        help_text="Comment souhaitez-vous adhérer au marché ?",
    )
    establishment = forms.IntegerField(widget=forms.HiddenInput, required=False)
    groupement = forms.IntegerField(widget=forms.HiddenInput, required=False)
    association_standing = forms.ChoiceField(
        label="Adhésion à l'association CANUT",
        choices=AssociationStanding.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Indiquez si votre établissement est adhérent de l'association CANUT."},
    )

    def clean(self):
        """Only the chosen mode's field is asked for: its error alone, never both."""
        data = super().clean()
        if data.get("mode") == SubscriptionMode.GROUPEMENT:
            data["establishment"] = None
            if not data.get("groupement"):
                self.add_error("groupement", "Sélectionnez le groupement pour lequel vous souscrivez.")
        elif data.get("mode") == SubscriptionMode.ESTABLISHMENT:
            data["groupement"] = None
            if not data.get("establishment"):
                self.add_error("establishment", "Sélectionnez l'établissement pour lequel vous souscrivez.")
        return data
