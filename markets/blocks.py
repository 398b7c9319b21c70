"""The blocks editors use to describe a market: lots, holders with their contact, pieces."""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from wagtail import blocks
from wagtail.blocks import StreamBlockValidationError, StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock

from .access import Audience

# French numbers (01 73 04 37 59, +33 1 73 04 37 59) with spaces, dots or dashes.
phone_validator = RegexValidator(
    r"^(?:\+33\s?|0)[1-9](?:[\s.-]?\d{2}){4}$",
    "Saisissez un numéro de téléphone français, par exemple 01 73 04 37 59.",
)


class DocumentKind:
    """The kinds of pieces, as the glossary names them."""

    CHOICES = [
        ("summary", "Fiche marché"),
        ("cctp", "CCTP"),
        ("ccap", "CCAP"),
        ("bpu", "BPU"),
        ("catalogue", "Catalogue"),
        ("rc", "RC"),
        ("dce", "DCE"),
        ("convention", "Convention à compléter"),
        ("application", "Candidature"),
        ("offer", "Offre"),
        ("amendment", "Avenant ou certificat administratif"),
        ("guide", "Guide"),
        ("other", "Autre"),
    ]
    LABELS = dict(CHOICES)
    # Shown as direct links on each catalogue card, in this order, when public.
    CARD_KINDS = ("summary", "cctp", "bpu", "catalogue")


class HolderContactBlock(blocks.StructBlock):
    """One holder of a lot, with its ordering window and its single commercial contact."""

    holder = SnippetChooserBlock("markets.Holder", label="Titulaire")
    ordering_window = blocks.CharBlock(
        label="Fenêtre de commande",
        required=False,
        max_length=120,
        help_text="Pour un marché multi-attributaire, par exemple « Commandes du 1er au 15 du mois ».",
    )
    contact_name = blocks.CharBlock(label="Contact commercial", max_length=120)
    contact_email = blocks.EmailBlock(label="E-mail du contact")
    contact_phone = blocks.CharBlock(label="Téléphone du contact", max_length=30, validators=[phone_validator])

    class Meta:
        icon = "user"
        label = "Titulaire et contact"
        template = "markets/blocks/holder_contact_block.html"


UNALLOTTED_LABEL = "Marché non alloti"


class LotValue(blocks.StructValue):
    @property
    def label(self):
        return f"Lot n°{self['number']}" if self.get("number") else "Lot unique"


class LotBlock(blocks.StructBlock):
    number = blocks.IntegerBlock(
        label="Numéro du lot", required=False, min_value=1, help_text="Vide pour un lot unique."
    )
    title = blocks.CharBlock(label="Intitulé", max_length=255)
    ends_on = blocks.DateBlock(
        label="Date de fin du lot", required=False, help_text="Si elle diffère de celle du marché."
    )
    holders = blocks.ListBlock(HolderContactBlock(), label="Titulaires", min_num=1)

    class Meta:
        icon = "list-ul"
        label = "Lot"
        template = "markets/blocks/lot_block.html"
        value_class = LotValue
        preview_value = {"number": 1, "title": "Fourniture de licences", "holders": []}


class LotStreamBlock(blocks.StreamBlock):
    lot = LotBlock()

    def clean(self, value):
        value = super().clean(value)
        seen, errors = set(), {}
        for index, child in enumerate(value):
            number = child.value.get("number")
            if number is None:
                continue
            if number in seen:
                errors[index] = StructBlockValidationError(
                    {"number": ValidationError(f"Le lot n°{number} figure déjà dans ce marché.")}
                )
            seen.add(number)
        if errors:
            raise StreamBlockValidationError(block_errors=errors)
        return value


class HolderStreamBlock(blocks.StreamBlock):
    holder = HolderContactBlock()


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label="Document")
    title = blocks.CharBlock(label="Titre affiché", required=False, help_text="Par défaut, le titre du document.")
    kind = blocks.ChoiceBlock(choices=DocumentKind.CHOICES, label="Nature de la pièce")
    audience = blocks.ChoiceBlock(
        choices=Audience.choices,
        default=Audience.SUBSCRIBERS,
        label="Visible par",
        help_text="Les pièces réservées ne sont jamais accessibles par une adresse publique.",
    )
    holder = SnippetChooserBlock(
        "markets.Holder", label="Titulaire concerné", required=False, help_text="Pour une candidature, une offre…"
    )

    class Meta:
        icon = "doc-full"
        label = "Pièce du marché"


class DocumentStreamBlock(blocks.StreamBlock):
    document = DocumentBlock()
