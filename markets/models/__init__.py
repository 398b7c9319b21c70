from .documents import MarketDocument
from .index import MarketIndexPage
from .market import MarketHolder, MarketPage, MarketPiece, MarketStatus
from .snippets import Holder, Theme

__all__ = [
    "Holder",
    "MarketDocument",
    "MarketHolder",
    "MarketIndexPage",
    "MarketPage",
    "MarketPiece",
    "MarketStatus",
    "Theme",
]
