from django import forms

from members.models import AssociationStanding


class SubscriptionMode:
    ESTABLISHMENT = "establishment"
    GROUPEMENT = "groupement"
    CHOICES = [(ESTABLISHMENT, "Pour un établissement"), (GROUPEMENT, "Pour un groupement")]


class SubscriptionRequestForm(forms.Form):
    """ "Mon adhésion". The establishment is chosen among the user's (the view checks it)."""

    mode = forms.ChoiceField(
        label="Mode d'adhésion",
        choices=SubscriptionMode.CHOICES,
        initial=SubscriptionMode.ESTABLISHMENT,
        widget=forms.RadioSelect,
        help_text="Comment souhaitez-vous adhérer au marché ?",
    )
    establishment = forms.IntegerField(
        widget=forms.HiddenInput,
        required=True,
        error_messages={"required": "Sélectionnez l'établissement pour lequel vous souscrivez."},
    )
    association_standing = forms.ChoiceField(
        label="Adhésion à l'association CANUT",
        choices=AssociationStanding.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Indiquez si votre établissement est adhérent de l'association CANUT."},
    )

    def clean_mode(self):
        mode = self.cleaned_data["mode"]
        if mode != SubscriptionMode.ESTABLISHMENT:
            raise forms.ValidationError("La souscription pour un groupement arrive avec la gestion des groupements.")
        return mode
