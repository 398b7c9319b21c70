"""Reads of the member area: a fixed number of queries whatever the number of subscriptions."""

from dataclasses import dataclass, field

from django.http import Http404

from markets.access import audiences_for
from markets.models import MarketPage
from members.models import Establishment, Subscription, User
from members.selectors import with_market_count


def member_establishments(*, user: User):
    """The validated establishments `user` may subscribe for."""
    return Establishment.objects.filter(users=user, status=Establishment.Status.VALIDATED).order_by("name")


def member_subscriptions(*, user: User):
    """Live subscriptions of the establishments `user` belongs to, with what a card shows."""
    return (
        Subscription.objects.live()
        .filter(establishment__users=user)
        .select_related("market", "establishment")
        .order_by("market__title", "establishment__name")
    )


def live_subscription(*, market: MarketPage, establishment: Establishment) -> Subscription | None:
    return Subscription.objects.live().filter(market=market, establishment=establishment).first()


def member_subscription(*, user: User, pk: int) -> Subscription:
    """One live subscription of an establishment `user` belongs to, or 404 (never 403: no hint)."""
    subscription = (
        Subscription.objects.live()
        .filter(pk=pk, establishment__users=user)
        .select_related("market", "establishment")
        .first()
    )
    if subscription is None:
        raise Http404("Souscription introuvable.")
    return subscription


def member_subscription_for_market(*, user: User, market_id: int) -> Subscription | None:
    return member_subscriptions(user=user).filter(market_id=market_id).first()


@dataclass
class Dashboard:
    establishments: list
    subscriptions: list
    finalized_count: int
    pending_count: int
    groupements: list = field(default_factory=list)


def dashboard_for(*, user: User) -> Dashboard:
    """ "Tableau de bord": two queries, whatever the number of establishments and subscriptions."""
    establishments = list(with_market_count(Establishment.objects.filter(users=user)).order_by("name"))
    subscriptions = list(member_subscriptions(user=user))
    finalized = sum(1 for s in subscriptions if s.is_finalized)
    return Dashboard(
        establishments=establishments,
        subscriptions=subscriptions,
        finalized_count=finalized,
        pending_count=len(subscriptions) - finalized,
    )


@dataclass
class Contact:
    lot: str
    lot_title: str
    ordering_window: str
    holder: str
    name: str
    email: str
    phone: str


def market_contacts(*, market: MarketPage) -> list[Contact]:
    """One row per holder of each lot (or of the market when it has no lots)."""
    contacts = []
    for lot, entry in market.holder_entries():
        if lot is None:
            lot_label, lot_title = "Marché non alloti", ""
        else:
            lot_label = f"Lot n°{lot['number']}" if lot.get("number") else "Lot unique"
            lot_title = lot["title"]
        holder = entry["holder"]
        contacts.append(
            Contact(
                lot=lot_label,
                lot_title=lot_title,
                ordering_window=entry.get("ordering_window") or "",
                holder=holder.name if holder is not None else "",
                name=entry["contact_name"],
                email=entry["contact_email"],
                phone=entry["contact_phone"],
            )
        )
    return contacts


def market_pieces_for(*, user: User, market: MarketPage) -> list:
    """The pieces of `market` that `user` may download, in the editors' order."""
    audiences = audiences_for(user, market)
    pieces = market.pieces.select_related("document", "holder").order_by("sort_order")
    return [piece for piece in pieces if piece.audience in audiences]
