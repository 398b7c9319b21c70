from .access import audiences_for, is_editor
from .models import MarketPiece


def can_download(user, document):
    """True when a live market lists `document` for an audience `user` belongs to.

    A document no live market lists is for editors only.
    """
    if is_editor(user):
        return True
    pieces = MarketPiece.objects.filter(document=document, market__live=True).select_related("market")
    return any(piece.audience in audiences_for(user, piece.market) for piece in pieces)
