from .access import audiences_for, is_editor, passes_privacy
from .models import MarketPiece


def can_download(request, document):
    """True when a live market lists `document` for an audience the requester belongs to.

    The market's page privacy (password, login, groups) applies to its pieces too. A
    document no live market lists is for editors only.
    """
    user = request.user
    if is_editor(user):
        return True
    pieces = MarketPiece.objects.filter(document=document, market__live=True).select_related("market")
    return any(
        piece.audience in audiences_for(user, piece.market) and passes_privacy(request, piece.market)
        for piece in pieces
    )
