import io

import pytest
from docx import Document

from billing.models import EstablishmentSize
from markets.access import Audience
from prices.models import PriceLine
from tests.factories.markets import HolderFactory, MarketPageFactory, holder_entry, lot, piece
from tests.prices.conftest import document_with, import_rows, priced, xlsx  # noqa: F401  (priced: a fixture)

BPU_HEADERS = ["Référence", "Désignation", "Prix maximum HT"]


def bpu_market(market_index, title, rows, *, audience=Audience.PUBLIC, lot_number=""):
    """A market with one BPU piece of maximum prices (kind "prix"), imported."""
    holder = HolderFactory(name=f"Titulaire {title}")
    document = document_with(xlsx(rows, BPU_HEADERS), f"BPU {title}", f"bpu-{title}.xlsx")
    fields = {"lots": [lot("1", "Licences", holder_entry(holder))]} if lot_number else {}
    market = MarketPageFactory(
        parent=market_index,
        title=title,
        holders=[("holder", holder_entry(holder))],
        documents=[piece(document, "bpu", audience)],
        **fields,
    )
    import_rows(market, document, rows, holder=holder, headers=BPU_HEADERS)
    if lot_number:
        PriceLine.objects.filter(market=market).update(lot=lot_number)
    return market


@pytest.fixture
def licences(market_index):
    return bpu_market(
        market_index,
        "Licences bureautiques",
        [
            ["LIC-1", "Suite bureautique — licence annuelle", "0,05"],
            ["LIC-2", "Messagerie — licence annuelle", "12,34"],
        ],
        lot_number="1",
    )


@pytest.fixture
def services(market_index):
    return bpu_market(market_index, "Prestations de services", [["PRE-1", "Journée de formation", "650"]])


@pytest.fixture
def commune(establishment):
    """COMMUNE DE NYONS, 2 960 inhabitants: the 350 € band (450 € for a non-member)."""
    EstablishmentSize.objects.create(establishment=establishment, population=2960)
    return establishment


def line(market, reference):
    return PriceLine.objects.get(market=market, reference=reference)


def docx_text(content: bytes) -> str:
    """Every paragraph and table cell of a .docx, opened again with python-docx."""
    document = Document(io.BytesIO(content))
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(parts)
