"""The demo's price pieces (each market's BPU, the 350-line multi-publisher catalogue)
imported into price lines, through the same reader and service as the admin import.
Idempotent: importing an unchanged piece again changes nothing and adds no version."""

from markets.models import MarketPage
from prices.parsing import read_price_table
from prices.services import apply_lines, remember_columns

from . import content
from .loaders import DemoError

PRICE_KINDS = ("catalogue", "bpu")


def ensure_prices(tally):
    for data in content.MARKETS:
        if not data.get("price_piece"):
            continue
        market = MarketPage.objects.filter(slug=data["slug"]).first()
        if market is None:
            continue
        piece = market.pieces.filter(kind=data["price_piece"]).select_related("document").first()
        if piece is None:
            continue
        holders = [link.holder for link in market.holder_links.select_related("holder")]
        with piece.document.file.open("rb") as handle:
            parsed = read_price_table(handle)
        if parsed.errors:
            raise DemoError(f"Pièce de prix de « {market.title} » illisible : {parsed.errors[0]}")
        apply_lines(
            market=market,
            document=piece.document,
            parsed_lines=parsed.lines,
            applies_from=market.notified_on,
            holder=piece.holder or (holders[0] if len(holders) == 1 else None),
        )
        remember_columns(market, parsed.columns)
        tally.add(True)
