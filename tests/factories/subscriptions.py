"""Subscriptions, and the conventions' files."""

import io

import factory
from django.core.files.base import ContentFile
from docx import Document

from subscriptions.models import Subscription
from tests.factories.markets import MarketDocumentFactory
from tests.factories.members import EstablishmentFactory


class SubscriptionFactory(factory.django.DjangoModelFactory):
    """A bare subscription row (no convention, no permission): for listing and query counts.
    The journey goes through subscriptions.services.subscription_request."""

    class Meta:
        model = Subscription

    establishment = factory.SubFactory(EstablishmentFactory)


def docx_bytes(*paragraphs, table_cells=(), header="") -> bytes:
    """A .docx whose paragraphs are lists of runs, so placeholders can straddle runs."""
    document = Document()
    if header:
        document.sections[0].header.paragraphs[0].add_run(header)
    for runs in paragraphs:
        paragraph = document.add_paragraph()
        for index, text in enumerate([runs] if isinstance(runs, str) else runs):
            run = paragraph.add_run(text)
            run.bold = index % 2 == 1
    if table_cells:
        table = document.add_table(rows=1, cols=len(table_cells))
        for cell, text in zip(table.rows[0].cells, table_cells, strict=False):
            cell.paragraphs[0].add_run(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def blank_convention_document(title="Convention à compléter"):
    content = docx_bytes(
        ["Entre la CANUT et ", "{{etab", "lissement}}", " (SIRET ", "{{ siret }", "})"],
        ["Adresse : {{adresse}}"],
        ["Marché : ", "{{", "marche", "}}", " — fait le {{date}}"],
        ["Champ inconnu : {{inconnu}}"],
        table_cells=("SIREN", "{{siren}}"),
        header="Convention {{marche}}",
    )
    return MarketDocumentFactory(title=title, file=ContentFile(content, name="convention-vierge.docx"))


def pdf_bytes() -> bytes:
    return b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
