from django import forms

from core.forms import BaseForm

from .numbers import MAX_AMOUNT, FrenchDecimalField

NEW = "nouvelle"
STANDINGS = [
    ("member", "Adhérent de l'association CANUT (ou souhaite adhérer)"),
    ("non_member", "Non adhérent, ne souhaite pas adhérer (tarif non-adhérent)"),
]


def quantity_field(help_text="Par exemple 3, 12,5 ou 1 000.", **kwargs):
    return FrenchDecimalField(label="Quantité", help_text=help_text, **kwargs)


def amount_field(label, **kwargs):
    return FrenchDecimalField(label=label, maximum=MAX_AMOUNT, what="Le montant", required=False, **kwargs)


class SimulationNameForm(BaseForm):
    name = forms.CharField(label="Nom de la simulation", max_length=120, help_text="Par exemple « Licences 2027 ».")


class AddForm(BaseForm):
    """ "Ajouter à ma simulation": a quantity and, for a member, which simulation (or a new one)."""

    quantity = quantity_field()

    def __init__(self, *args, simulations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_target_fields(simulations)

    def add_target_fields(self, simulations):
        if simulations is not None:
            choices = [(str(s.pk), s.name) for s in simulations] + [(NEW, "Une nouvelle simulation")]
            self.fields["simulation"] = forms.ChoiceField(label="Simulation", choices=choices)
            self.fields["new_name"] = forms.CharField(
                label="Nom de la nouvelle simulation",
                max_length=120,
                required=False,
                help_text="Seulement si vous choisissez « Une nouvelle simulation ».",
            )

    def clean(self):
        data = super().clean()
        if data.get("simulation") == NEW and not (data.get("new_name") or "").strip():
            self.add_error("new_name", "Donnez un nom à la nouvelle simulation.")
        return data


class AddMarketForm(AddForm):
    """A market's lines on one page, each with an optional quantity: those given are added."""

    def __init__(self, *args, simulations=None, lines=(), **kwargs):
        BaseForm.__init__(self, *args, **kwargs)
        del self.fields["quantity"]
        self.lines = list(lines)
        for line in self.lines:
            self.fields[f"q{line.pk}"] = quantity_field(required=False, help_text="")
            self.fields[f"q{line.pk}"].label = f"Quantité — {line.designation}"
        self.add_target_fields(simulations)

    def clean(self):
        data = super().clean()
        if not self.errors and not self.quantities():
            raise forms.ValidationError("Indiquez la quantité d'au moins une ligne.")
        return data

    def quantities(self):
        return [(line, self.cleaned_data[f"q{line.pk}"]) for line in self.lines if self.cleaned_data.get(f"q{line.pk}")]


class SettingsForm(BaseForm):
    name = forms.CharField(label="Nom de la simulation", max_length=120)
    establishment = forms.ModelChoiceField(
        label="Établissement acheteur",
        queryset=None,
        required=False,
        empty_label="— Aucun (frais non calculés) —",
        help_text="Les frais d'utilisation dépendent de sa taille et de ses souscriptions.",
    )
    standing = forms.ChoiceField(label="Adhésion à l'association", choices=STANDINGS, widget=forms.RadioSelect)

    def __init__(self, *args, establishments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["establishment"].queryset = establishments
        self.fields["establishment"].label_from_instance = lambda item: f"{item.name} (SIRET {item.siret})"


class FiguresForm(BaseForm):
    """Every line's quantity and what is paid today, every agreement's other quote: one form."""

    def __init__(self, *args, figures, **kwargs):
        super().__init__(*args, **kwargs)
        for agreement in figures.agreements:
            for line in agreement.lines:
                name = line.line.designation
                self.fields[f"q{line.entry.pk}"] = quantity_field(initial=line.entry.quantity, help_text="")
                self.fields[f"q{line.entry.pk}"].label = f"Quantité — {name}"
                self.fields[f"p{line.entry.pk}"] = amount_field(
                    f"Prix unitaire HT payé aujourd'hui — {name}", initial=line.entry.paid_unit_price
                )
            self.fields[f"a{agreement.market.pk}"] = amount_field(
                f"Montant HT payé aujourd'hui ou d'un autre devis pour ces lignes — {agreement.market.title}",
                initial=agreement.quote,
            )
        self.figures = figures

    def lines(self):
        data = self.cleaned_data
        return {line.entry.pk: (data[f"q{line.entry.pk}"], data[f"p{line.entry.pk}"]) for line in self.figures.lines}

    def quotes(self):
        return {a.market.pk: self.cleaned_data[f"a{a.market.pk}"] for a in self.figures.agreements}
