from django import forms
from django.core.validators import slug_re

from core.forms import AccessibleFormMixin, BaseForm

from .attachments import ACCEPT, limits_help, validate_attachments
from .models import Frequency, Severity, Subject
from .selectors import subject_choices


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Several files in one input, checked together by content, size and count."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Pièces jointes (ex. : copie d'écran)")
        kwargs.setdefault("help_text", limits_help())
        kwargs.setdefault("required", False)
        super().__init__(widget=MultipleFileInput(attrs={"accept": ACCEPT}), **kwargs)

    def clean(self, data, initial=None):
        files = [file for file in (data or []) if file]
        return validate_attachments(files) if files else []


class SubjectField(forms.ModelChoiceField):
    def __init__(self, **kwargs):
        super().__init__(
            queryset=subject_choices(),
            to_field_name="slug",
            label="Ma demande",
            empty_label="Choisissez l'objet de votre demande",
            error_messages={
                "required": "Choisissez l'objet de votre demande.",
                "invalid_choice": "Choisissez l'objet de votre demande dans la liste.",
            },
            **kwargs,
        )


class SubjectForm(BaseForm):
    """The first step, sent by GET: the subject shows its questions (with or without JavaScript)."""

    sujet = SubjectField()


class RequestForm(AccessibleFormMixin, forms.Form):
    """ "Je poursuis ma demande": everything staff need, the contact prefilled for a member."""

    subject = SubjectField()
    severity = forms.ChoiceField(
        label="Mon problème est",
        choices=Severity.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Indiquez la gravité du problème."},
    )
    frequency = forms.ChoiceField(
        label="Mon problème est apparu",
        choices=Frequency.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Indiquez à quelle fréquence le problème apparaît."},
    )
    message = forms.CharField(
        label="Message",
        max_length=5000,
        help_text="Décrivez ce que vous faisiez, ce que vous attendiez et ce qui s'est passé (message d'erreur…).",
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": "Décrivez votre demande."},
    )
    attachments = AttachmentsField()
    contact_name = forms.CharField(
        label="Nom et prénom", max_length=150, error_messages={"required": "Indiquez votre nom."}
    )
    contact_email = forms.EmailField(
        label="Adresse e-mail",
        help_text="La référence de la demande et le lien pour la suivre y seront envoyés.",
        error_messages={
            "required": "Indiquez votre adresse e-mail.",
            "invalid": "Cette adresse e-mail n'est pas valide.",
        },
    )
    contact_phone = forms.CharField(label="Téléphone", max_length=30, required=False)
    organisation = forms.CharField(
        label="Établissement", max_length=150, required=False, help_text="Nom ou SIRET de votre établissement."
    )
    origin = forms.CharField(widget=forms.HiddenInput, required=False, max_length=2000)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact_email"].widget.attrs["autocomplete"] = "email"
        self.fields["contact_name"].widget.attrs["autocomplete"] = "name"
        self.fields["contact_phone"].widget.attrs.update(autocomplete="tel", type="tel")
        if user is not None and user.is_authenticated:
            # A member's establishments are in the context already.
            del self.fields["organisation"]

    @staticmethod
    def initial_for(user) -> dict:
        if not user.is_authenticated:
            return {}
        return {
            "contact_name": user.get_full_name(),
            "contact_email": user.email,
            "contact_phone": user.professional_phone or user.establishment_phone,
        }


class MessageForm(BaseForm):
    """The requester's answer, or a file they add."""

    body = forms.CharField(
        label="Votre message", max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    attachments = AttachmentsField(label="Ajouter des fichiers")


def subject_from(value) -> Subject | None:
    """The subject a raw POST or GET value names: a slug, else nothing (a NUL reaching
    PostgreSQL was a 500 on the help request, whose view reads its own body)."""
    if not isinstance(value, str) or not slug_re.fullmatch(value):
        return None
    return subject_choices().filter(slug=value).first()
