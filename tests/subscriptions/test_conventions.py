import io

import pytest
from django.core.files.base import ContentFile
from docx import Document

from markets.access import Audience
from subscriptions.conventions import fill_document, generate_convention, replace_in_paragraph
from tests.factories.markets import MarketDocumentFactory, MarketPageFactory, piece
from tests.factories.members import EstablishmentFactory

pytestmark = pytest.mark.django_db


def text_of(content):
    document = Document(io.BytesIO(content))
    return "\n".join(p.text for p in document.paragraphs)


def test_placeholder_split_across_runs_keeps_the_first_run_formatting():
    document = Document()
    paragraph = document.add_paragraph()
    for index, text in enumerate(["Pour ", "{{ét", "ablis", "sement}}", " et {{siret}}", "."]):
        paragraph.add_run(text).bold = index == 1
    replace_in_paragraph(paragraph, {"etablissement": "COMMUNE DE NYONS", "siret": "21260220600010"})
    assert paragraph.text == "Pour COMMUNE DE NYONS et 21260220600010."
    bold = [run.text for run in paragraph.runs if run.bold]
    assert bold == ["COMMUNE DE NYONS"]


def test_nested_table_placeholders_are_filled():
    document = Document()
    table = document.add_table(rows=1, cols=1)
    inner = table.rows[0].cells[0].add_table(rows=1, cols=1)
    inner.rows[0].cells[0].paragraphs[0].add_run("{{marche}}")
    fill_document(document, {"marche": "Multi-éditeurs"})
    assert inner.rows[0].cells[0].text == "Multi-éditeurs"


def test_default_convention_when_the_market_has_no_blank(market_index):
    market = MarketPageFactory(parent=market_index, title="Virtualisation")
    establishment = EstablishmentFactory(name="COMMUNE DE VISAN", chorus_code="")
    convention = generate_convention(market=market, establishment=establishment)
    text = text_of(convention.content)
    assert "Convention de mise à disposition" in text
    assert "Marché : Virtualisation" in text
    assert "Établissement : COMMUNE DE VISAN" in text
    assert f"SIRET : {establishment.siret}" in text
    assert "Code Chorus : —" in text
    assert convention.name == f"convention-virtualisation-{establishment.siret}.docx"


def test_unreadable_blank_falls_back_to_the_default(market_index):
    broken = MarketDocumentFactory(title="Convention", file=ContentFile(b"not a docx", name="convention.docx"))
    market = MarketPageFactory(parent=market_index, documents=[piece(broken, "convention", Audience.SUBSCRIBERS)])
    convention = generate_convention(market=market, establishment=EstablishmentFactory())
    assert "Convention de mise à disposition" in text_of(convention.content)


def test_pdf_convention_piece_is_not_used_as_a_blank(market_index):
    pdf = MarketDocumentFactory(title="Convention PDF")
    market = MarketPageFactory(parent=market_index, documents=[piece(pdf, "convention", Audience.SUBSCRIBERS)])
    convention = generate_convention(market=market, establishment=EstablishmentFactory())
    assert "Convention de mise à disposition" in text_of(convention.content)
