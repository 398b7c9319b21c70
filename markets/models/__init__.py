from .documents import MarketDocument
from .index import MarketIndexPage
from .market import MarketHolder, MarketPage, MarketPiece, MarketStatus
from .snippets import Holder, Theme
from .stamp import CatalogueStamp

__all__ = [
    "CatalogueStamp",
    "Holder",
    "MarketDocument",
    "MarketHolder",
    "MarketIndexPage",
    "MarketPage",
    "MarketPiece",
    "MarketStatus",
    "Theme",
]
