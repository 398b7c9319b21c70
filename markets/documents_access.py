"""Who may download a market piece, why not, and the view every piece is served through."""

from django.urls import re_path, reverse
from wagtail.documents import urls as wagtail_document_urls
from wagtail.documents.views.serve import serve as wagtail_serve

from core.downloads import mark_private
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


def serve_document(request, document_id, document_filename):
    """Wagtail's document view (its before_serve_document hook, below in wagtail_hooks.py,
    checks the access), the file sent with the private-download headers of every other
    private file (core.downloads): a piece for subscribers must not stay in a shared cache."""
    response = wagtail_serve(request, document_id, document_filename)
    if response.has_header("Content-Disposition"):
        inline = response["Content-Disposition"].startswith("inline")
        # Wagtail checked that the name in the URL is the document's own.
        mark_private(response, filename=document_filename, inline=inline)
    elif response.status_code == 304:
        mark_private(response)
    return response


# Wagtail's document URLs, the file served by the view above (same path, same name).
document_urls = [
    re_path(r"^(\d+)/(.*)$", serve_document, name="wagtaildocs_serve"),
    *(pattern for pattern in wagtail_document_urls.urlpatterns if pattern.name != "wagtaildocs_serve"),
]
