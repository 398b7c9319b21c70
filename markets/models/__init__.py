from .documents import MarketDocument
from .pages import MarketHolder, MarketIndexPage, MarketPage, MarketPiece, MarketStatus
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
