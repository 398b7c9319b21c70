"""What appeared in a period, and which saved search it matches, as each member may see it.

Both readers load the period's changes once, whatever the number of members and searches
(a fixed handful of queries), then match each search in memory with the same rules as the
pages: the market's status, holders, themes and folded words for "Tous les marchés"; the
words (and their common spellings), market, holder, publisher, category and status for
"Produits et prix". Only markets that are live and under no page privacy restriction are
read, and a price line only when its piece is public, for members, or for the subscribers
of a market the member's establishment subscribed to (prices.selectors' rule).
"""

from collections import defaultdict
from dataclasses import asdict, dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Prefetch
from django.urls import reverse
from guardian.models import UserObjectPermission

from core.text import fold, fold_query
from markets.access import PIECES_PERMISSION, Audience
from markets.models import MarketHolder, MarketPage, MarketPiece, Theme
from markets.models.market import ALL_STATUSES, MarketStatus
from prices.models import PriceKind, PriceLineVersion, PriceSource
from prices.selectors import SPELLINGS, query_words
from prices.services import format_decimal, format_percent

from .models import EventKind, MarketEvent, Source

DIGEST_EVENTS = [EventKind.PUBLISHED, EventKind.LOT, EventKind.HOLDER]
AUDIENCE_ORDER = [Audience.PUBLIC, Audience.MEMBERS, Audience.SUBSCRIBERS]


@dataclass
class Item:
    kind: str
    title: str
    detail: str
    url: str
    at: object  # the moment it appeared, to keep only what followed a search's last check

    def as_dict(self):
        return {**asdict(self), "at": self.at.isoformat()}


def _status_matches(wanted, status):
    return wanted == ALL_STATUSES or wanted == status


def _words_match(words, text):
    padded = f" {text}"
    return all(f" {word}" in padded for word in words)


def market_path(market) -> str:
    parts = market.get_url_parts()
    return parts[2] if parts else market.url_path


class MarketChanges:
    """The markets published, and the lots and holders added, between `since` and `until`."""

    def __init__(self, since, until):
        events = list(
            MarketEvent.objects.filter(created_at__gt=since, created_at__lte=until, kind__in=DIGEST_EVENTS).order_by(
                "created_at", "pk"
            )
        )
        themes = Prefetch("themes", queryset=Theme.objects.select_related("parent"))
        holders = Prefetch("holder_links", queryset=MarketHolder.objects.select_related("holder"))
        markets = (
            MarketPage.objects.live()
            .public()
            .filter(pk__in={event.market_id for event in events})
            .prefetch_related(themes, holders)
        )
        self.markets = {}
        for market in markets:
            holder_names = [link.holder.name for link in market.holder_links.all()]
            theme_list = list(market.themes.all())
            self.markets[market.pk] = {
                "title": market.title,
                "status": market.status,
                "holders": {link.holder.slug for link in market.holder_links.all()},
                "themes": {t.slug for t in theme_list} | {t.parent.slug for t in theme_list if t.parent_id},
                "text": fold(
                    " ".join(
                        [market.title, market.subtitle, market.summary, *holder_names]
                        + [t.name for t in theme_list]
                        + [t.parent.name for t in theme_list if t.parent_id]
                    )
                ),
                "path": market_path(market),
            }
        self.events = [event for event in events if event.market_id in self.markets]

    def matching(self, search, user_id):
        params = search.params
        words = fold_query((params.get("q") or [""])[0]).split()
        status = (params.get("statut") or [MarketStatus.CURRENT])[0]
        holders, themes = set(params.get("titulaire", [])), set(params.get("theme", []))
        items = []
        for event in self.events:
            if event.created_at <= search.checked_until:
                continue
            market = self.markets[event.market_id]
            if not _status_matches(status, market["status"]):
                continue
            if holders and not holders & market["holders"] or themes and not themes & market["themes"]:
                continue
            if not _words_match(words, market["text"]):
                continue
            detail = "" if event.kind == EventKind.PUBLISHED else event.label
            items.append(Item(event.get_kind_display(), market["title"], detail, market["path"], event.created_at))
        return items


def price_value(version, kind):
    """The figure a price change is told by: the maximum price, else the net price, else the discount."""
    if version.on_quote:
        return None, "sur devis"
    if kind == PriceKind.MAXIMUM or version.net_price is None and version.discount is None:
        value = version.price if version.price is not None else version.net_price
        return value, f"{format_decimal(value)} €" if value is not None else "—"
    if version.net_price is not None:
        return version.net_price, f"{format_decimal(version.net_price)} €"
    return version.discount, f"{format_percent(version.discount)} %"


def changed_enough(old, new):
    if old is None or new is None:
        return old != new
    if old == 0:
        return new != 0
    threshold = Decimal(str(settings.ALERTS_PRICE_CHANGE_PERCENT)) / 100
    return abs(new - old) / abs(old) >= threshold


class PriceChanges:
    """The price lines added, and those whose price moved beyond the threshold, in the period."""

    def __init__(self, since, until, user_ids):
        window = PriceLineVersion.objects.filter(recorded_at__gt=since, recorded_at__lte=until)
        # A whole new catalogue may arrive at once: the digest tells at most this many lines.
        limit = settings.ALERTS_MAX_PRICE_CHANGES
        lines = window.order_by("line_id").values("line_id").distinct()[:limit]
        versions = list(
            PriceLineVersion.objects.filter(line_id__in=lines, line__active=True)
            .select_related("line", "line__holder")
            .order_by("line_id", "pk")
        )
        by_line = defaultdict(list)
        for version in versions:
            by_line[version.line_id].append(version)
        sources = {
            row["pk"]: row
            for row in PriceSource.objects.filter(pk__in={v.line.source_id for v in versions}).values(
                "pk", "market_id", "document_id"
            )
        }
        markets = {
            market.pk: market
            for market in MarketPage.objects.live()
            .public()
            .filter(pk__in={row["market_id"] for row in sources.values()})
            .only("pk", "title", "slug", "notified_on", "ends_on")
        }
        audiences = defaultdict(set)
        pieces = MarketPiece.objects.filter(
            market_id__in=markets, document_id__in={r["document_id"] for r in sources.values()}
        )
        for market_id, document_id, audience in pieces.values_list("market_id", "document_id", "audience"):
            audiences[market_id, document_id].add(audience)
        self.subscribed = defaultdict(set)
        permissions = UserObjectPermission.objects.filter(
            user_id__in=user_ids,
            permission__codename=PIECES_PERMISSION.split(".")[1],
            permission__content_type__app_label="markets",
        ).values_list("user_id", "object_pk")
        for user_id, object_pk in permissions:
            if str(object_pk).isdigit():
                self.subscribed[user_id].add(int(object_pk))
        self.changes = []
        for line_versions in by_line.values():
            line = line_versions[0].line
            source = sources.get(line.source_id)
            market = markets.get(source["market_id"]) if source else None
            if market is None:
                continue
            open_to = [a for a in AUDIENCE_ORDER if a in audiences[market.pk, source["document_id"]]]
            if not open_to:
                continue
            change = self._change(line, line_versions, since, until)
            if change is not None:
                self.changes.append((line, market, open_to[0], change))

    @staticmethod
    def _change(line, versions, since, until):
        new = [v for v in versions if since < v.recorded_at <= until]
        if not new or new[-1].removed:
            return None
        before = [v for v in versions if v.pk < new[0].pk]
        latest = new[-1]
        value, label = price_value(latest, line.kind)
        if not before:
            return Item("Nouveau produit", line.designation, label, "", latest.recorded_at)
        old_value, old_label = price_value(before[-1], line.kind)
        if before[-1].removed or not changed_enough(old_value, value):
            return None
        return Item("Prix modifié", line.designation, f"{old_label} → {label}", "", latest.recorded_at)

    def may_see(self, user_id, market_id, audience):
        return audience != Audience.SUBSCRIBERS or market_id in self.subscribed[user_id]

    def matching(self, search, user_id):
        params = search.params
        groups = [[word, *SPELLINGS.get(word, [])] for word in query_words((params.get("q") or [""])[0])]
        status = (params.get("statut") or [MarketStatus.CURRENT])[0]
        wanted = {name: set(params.get(name, [])) for name in ("marche", "titulaire", "editeur", "categorie")}
        items = []
        for line, market, audience, change in self.changes:
            if change.at <= search.checked_until or not self.may_see(user_id, market.pk, audience):
                continue
            if not _status_matches(status, market.status):
                continue
            values = {
                "marche": market.slug,
                "titulaire": line.holder.slug if line.holder_id else None,
                "editeur": line.publisher,
                "categorie": line.category,
            }
            if any(chosen and values[name] not in chosen for name, chosen in wanted.items()):
                continue
            text = line.search_text if line.search_text.startswith(" ") else f" {line.search_text}"
            if not all(any(f" {word}" in text for word in group) for group in groups):
                continue
            detail = f"{market.title} — {change.detail}"
            url = reverse("prices:line", args=[line.pk])
            items.append(Item(change.kind, change.title, detail, url, change.at))
        return items


def changes_for(source):
    return MarketChanges if source == Source.MARKETS else PriceChanges
