"""The result cards of "Tous les marchés": what each card shows, read as plain columns for
one page of results (markets.catalogue)."""

from dataclasses import dataclass, field

from django.db.models import Value
from django.urls import reverse

from .access import Audience
from .blocks import DocumentKind
from .models.market import MarketHolder, MarketPage, MarketPiece

CARD_FIELDS = ("pk", "title", "slug", "subtitle", "portal_url", "notified_on", "ends_on")


@dataclass
class Card:
    """What a result card shows, read as plain columns."""

    pk: int
    title: str
    url: str
    subtitle: str
    portal_url: str
    notified_on: object
    ends_on: object
    holder_names: list = field(default_factory=list)
    pieces: list = field(default_factory=list)


@dataclass
class CardPiece:
    kind_label: str
    url: str
    extension: str


def card_rows(ids):
    """The card columns of the markets `ids`, in that order."""
    if not ids:
        return []
    rows = {row["pk"]: row for row in MarketPage.objects.filter(pk__in=ids).values(*CARD_FIELDS)}
    return [rows[pk] for pk in ids if pk in rows]


def cards(rows, index_url, labels):
    """The cards of one result page, in order: their holders' names and public pieces."""
    rows = list(rows)
    ids = [row["pk"] for row in rows]
    base = index_url if index_url.endswith("/") else f"{index_url}/"
    found = {
        row["pk"]: Card(
            pk=row["pk"],
            title=row["title"],
            url=f"{base}{row['slug']}/",
            subtitle=row["subtitle"],
            portal_url=row["portal_url"],
            notified_on=row["notified_on"],
            ends_on=row["ends_on"],
        )
        for row in rows
    }
    if not ids:
        return []
    names = {label.pk: label.name for label in labels.holders}
    # Holders and public pieces in one query: a holder's row has no kind.
    links = (
        MarketHolder.objects.filter(market_id__in=ids)
        .annotate(no_kind=Value(""), no_file=Value(""))
        .values_list("sort_order", "market_id", "holder_id", "no_kind", "no_file")
        .order_by()
    )
    pieces = (
        MarketPiece.objects.filter(market_id__in=ids, audience=Audience.PUBLIC, kind__in=DocumentKind.CARD_KINDS)
        .values_list("sort_order", "market_id", "document_id", "kind", "document__file")
        .order_by()
    )
    for _, market_id, related_id, kind, file in sorted(links.union(pieces, all=True)):
        if not kind:
            found[market_id].holder_names.append(names.get(related_id, ""))
            continue
        document_id, filename = related_id, file.rpartition("/")[2]
        found[market_id].pieces.append(
            CardPiece(
                kind_label=DocumentKind.LABELS.get(kind, kind),
                url=reverse("wagtaildocs_serve", args=(document_id, filename)),
                extension=filename.rpartition(".")[2].upper() if "." in filename else "",
            )
        )
    return [found[pk] for pk in ids]
