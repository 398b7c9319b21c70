import datetime
import io
import zipfile

import pytest
from django.core.files.base import ContentFile
from openpyxl import Workbook

from markets.access import Audience
from prices.parsing import read_price_table
from prices.services import apply_lines
from tests.factories.markets import HolderFactory, MarketDocumentFactory, MarketPageFactory, holder_entry, piece

HEADERS = ["Éditeur", "Solution", "Catégorie", "Remise minimale sur prix public", "Prix public HT"]
ROWS = [
    ["Adobe", "Acrobat Pro — abonnement 1 an", "Création et PDF", "13 %", "239,88 €"],
    ["Adobe", "Acrobat Standard — abonnement 1 an", "Création et PDF", "12 %", "179,88"],
    ["Bitdefender", "GravityZone Endpoint Security", "Sécurité", "20 %", "45"],
    ["Microsoft", "Visio — licence perpétuelle", "Environnement de travail", "10 %", "sur devis"],
]


def xlsx(rows, headers=HEADERS, title=None):
    workbook = Workbook()
    sheet = workbook.active
    if title:
        sheet.append([title])
        sheet.append([])
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows, headers=HEADERS, encoding="utf-8-sig"):
    lines = [";".join(headers)] + [";".join(str(v) for v in row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def ods(rows, headers=HEADERS):
    def cell(value):
        if isinstance(value, int | float):
            return f'<table:table-cell office:value-type="float" office:value="{value}"/>'
        return f'<table:table-cell office:value-type="string"><text:p>{value}</text:p></table:table-cell>'

    body = "".join(
        "<table:table-row>" + "".join(cell(v) for v in row) + "</table:table-row>" for row in [headers, *rows]
    )
    content = (
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet>'
        f'<table:table table:name="Prix">{body}'
        '<table:table-row table:number-rows-repeated="1048570"><table:table-cell '
        'table:number-columns-repeated="16384"/></table:table-row>'
        "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        archive.writestr("content.xml", content)
    return buffer.getvalue()


def document_with(content, title, name="prix.xlsx"):
    document = MarketDocumentFactory(title=title)
    document.file.save(name, ContentFile(content))
    return document


def import_rows(market, document, rows, *, applies_from=datetime.date(2025, 1, 1), holder=None, headers=HEADERS):
    parsed = read_price_table(io.BytesIO(xlsx(rows, headers)))
    assert not parsed.errors, parsed.errors
    return apply_lines(
        market=market, document=document, parsed_lines=parsed.lines, applies_from=applies_from, holder=holder
    )


@pytest.fixture
def catalogue(market_index):
    """A market whose public catalogue piece is a price spreadsheet (ROWS), not imported yet."""
    document = document_with(xlsx(ROWS), "Catalogue multi-éditeurs")
    market = MarketPageFactory(parent=market_index, documents=[piece(document, "catalogue", Audience.PUBLIC)])
    return market, market.pieces.get()


@pytest.fixture
def priced(market_index):
    """A market with one price piece per audience, each imported: the words say whose it is."""
    holder = HolderFactory(name="SCC")
    documents = {
        audience: document_with(xlsx(ROWS), f"Catalogue {audience}", f"catalogue-{audience}.xlsx")
        for audience in Audience.values
    }
    market = MarketPageFactory(
        parent=market_index,
        title="Multi-éditeurs",
        slug="multi-editeurs",
        holders=[("holder", holder_entry(holder))],
        documents=[piece(doc, "catalogue", audience) for audience, doc in documents.items()],
    )
    secret_words = {Audience.PUBLIC: "Ouvert", Audience.MEMBERS: "Adherentonly", Audience.SUBSCRIBERS: "Zebrasecret"}
    for audience, document in documents.items():
        word = secret_words[audience]
        rows = [*ROWS, [f"Editeur {word}", f"Produit {word}", "Divers", "5 %", "100"]]
        import_rows(market, document, rows, holder=holder)
    return market, documents, secret_words
