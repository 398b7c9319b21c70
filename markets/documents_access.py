from django.urls import reverse

from core.errors import Refusal

from .access import audiences_for, is_editor, is_member, passes_privacy
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


def download_refusal(request, document):
    """Why a signed-in user may not download `document`, and what they can do about it.

    A market whose page privacy the user fails is never named nor linked: its title is
    what the restriction hides.
    """
    pieces = MarketPiece.objects.filter(document=document, market__live=True).select_related("market")
    listed = list(pieces.order_by("market__path"))
    if not listed:
        return Refusal(
            "Ce document n'est rattaché à aucun marché publié.",
            action_url=reverse("search:results"),
            action_label="Rechercher sur le site",
        )
    market = next((piece.market for piece in listed if passes_privacy(request, piece.market)), None)
    if market is None:
        return Refusal(
            "Ce document est d'accès restreint.",
            action_url=reverse("search:results"),
            action_label="Rechercher sur le site",
        )
    if not is_member(request.user):
        return Refusal(
            "Votre compte n'est pas encore validé par la CANUT : les pièces réservées aux adhérents "
            "vous seront accessibles dès sa validation.",
            action_url=reverse("members:account"),
            action_label="Voir mon compte",
        )
    return Refusal(
        f"Cette pièce est réservée aux établissements ayant souscrit au marché « {market.title} ». "
        "La souscription est sans engagement et ouvre l'accès à toutes les pièces.",
        action_url=reverse("subscriptions:subscription_request", args=[market.pk]),
        action_label="Préparer sa souscription",
    )
