"""What a publication brings to a market, read by comparing the live market with what it
held at its previous publication (MarketSnapshot).

Only publishing records anything (Wagtail's page_published): a draft sends nothing. A piece
is told once in the market's life, so publishing again, or the same piece removed and put
back, tells nothing new. A market first published is one event; a market published before
alerts existed gets its snapshot silently at its next publication.
"""

from django.db import transaction

from markets.models import MarketPiece

from .models import EventKind, MarketEvent, MarketSnapshot


def lots_of(market):
    return [
        {
            "label": lot.value.label,
            "title": lot.value["title"],
            "ends_on": lot.value["ends_on"].isoformat() if lot.value.get("ends_on") else None,
        }
        for lot in market.lots
    ]


def market_published(market) -> list[MarketEvent]:
    """Record the events of this publication of `market`; the new pieces' events."""
    holders = list(market.holder_links.select_related("holder").values_list("holder_id", "holder__name"))
    lots = lots_of(market)
    pieces = list(MarketPiece.objects.filter(market=market).values_list("document_id", "title", "audience", "kind"))
    with transaction.atomic():
        snapshot = MarketSnapshot.objects.select_for_update().filter(market=market).first()
        events = []
        if snapshot is None:
            first = market.first_published_at is not None and market.first_published_at == market.last_published_at
            if first:
                events.append(MarketEvent(market=market, kind=EventKind.PUBLISHED, label=market.title[:255]))
            snapshot = MarketSnapshot(market=market, document_ids=[doc for doc, *_ in pieces])
        else:
            # A lot is known by its number: a renamed lot is not a new one.
            known_lots = {lot["label"] for lot in snapshot.lots}
            events += [
                MarketEvent(market=market, kind=EventKind.LOT, label=f"{lot['label']} — {lot['title']}"[:255])
                for lot in lots
                if lot["label"] not in known_lots
            ]
            events += [
                MarketEvent(market=market, kind=EventKind.HOLDER, label=name[:255])
                for pk, name in holders
                if pk not in snapshot.holder_ids
            ]
            known = set(snapshot.document_ids)
            for document_id, title, audience, kind in pieces:
                if document_id not in known:
                    known.add(document_id)
                    events.append(
                        MarketEvent(
                            market=market,
                            kind=EventKind.PIECE,
                            label=title[:255],
                            audience=audience,
                            document_kind=kind,
                        )
                    )
            snapshot.document_ids = sorted(known)
        snapshot.holder_ids = [pk for pk, _ in holders]
        snapshot.lots = lots
        snapshot.save()
        created = MarketEvent.objects.bulk_create(events)
    return [event for event in created if event.kind == EventKind.PIECE]
