"""Reads of the member area: a fixed number of queries whatever the number of subscriptions."""

from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404

from groupements.selectors import groupement_list_for_user
from markets.blocks import UNALLOTTED_LABEL
from markets.models import MarketPage
from markets.models.market import without_market_bodies
from members.models import Establishment, User
from members.selectors import with_market_count

from .models import Subscription


def member_establishments(*, user: User):
    """The validated establishments `user` may subscribe for."""
    return Establishment.objects.filter(users=user, status=Establishment.Status.VALIDATED).order_by("name")


def pending_establishments(*, user: User):
    """The user's establishments still waiting for staff, oldest first."""
    return Establishment.objects.filter(users=user, status=Establishment.Status.PENDING).order_by("created_at")


def _covering(user: User) -> Q:
    """Subscriptions of the user's establishments, and of groupements one of them belongs to."""
    return Q(establishment__users=user) | Q(groupement__members__establishment__users=user)


def member_subscriptions(*, user: User):
    """Live subscriptions covering `user` (own establishment or groupement child), with what a card shows."""
    covering = Subscription.objects.live().filter(_covering(user)).values("pk")
    return without_market_bodies(
        Subscription.objects.filter(pk__in=covering)
        .select_related("market", "establishment", "groupement")
        .order_by("market__title", "establishment__name", "groupement__name")
    )


def live_subscription(*, market: MarketPage, establishment: Establishment, groupement=None) -> Subscription | None:
    return Subscription.objects.live().filter(market=market, establishment=establishment, groupement=groupement).first()


def member_subscription(*, user: User, pk: int, signatories_only: bool = False) -> Subscription:
    """One live subscription covering `user`, or 404 (never 403: no hint).

    `signatories_only`: the parent's users only, not a groupement child's (the conventions).
    """
    covering = Q(establishment__users=user) if signatories_only else _covering(user)
    subscription = (
        Subscription.objects.live()
        .filter(covering, pk=pk)
        .select_related("market", "establishment", "groupement")
        .first()
    )
    if subscription is None:
        raise Http404("Souscription introuvable.")
    return subscription


def member_subscription_for_market(*, user: User, market_id: int) -> Subscription | None:
    return member_subscriptions(user=user).filter(market_id=market_id).first()


# The dashboard shows the first few cards and links to "Mes marchés", which pages them.
DASHBOARD_SUBSCRIPTIONS = 6
MY_MARKETS_PER_PAGE = 20


@dataclass
class Dashboard:
    establishments: list
    subscriptions: list
    finalized_count: int
    pending_count: int
    groupements: list = field(default_factory=list)

    @property
    def subscription_count(self):
        return self.finalized_count + self.pending_count

    @property
    def more_subscriptions(self):
        return self.subscription_count > len(self.subscriptions)


def dashboard_for(*, user: User) -> Dashboard:
    """ "Tableau de bord": four queries, whatever the number of establishments and subscriptions.

    The establishments with their market counts, the subscription counts, the first
    `DASHBOARD_SUBSCRIPTIONS` cards, the groupements.
    """
    establishments = list(with_market_count(Establishment.objects.filter(users=user)).order_by("name"))
    subscriptions = member_subscriptions(user=user)
    counts = subscriptions.order_by().aggregate(
        total=Count("pk"), finalized=Count("pk", filter=Q(finalized_on__isnull=False))
    )
    return Dashboard(
        establishments=establishments,
        subscriptions=list(subscriptions[:DASHBOARD_SUBSCRIPTIONS]),
        finalized_count=counts["finalized"],
        pending_count=counts["total"] - counts["finalized"],
        groupements=list(groupement_list_for_user(user=user)),
    )


def my_markets_page(*, user: User, page):
    """One page of "Mes marchés" (`page`: the GET value; out of range or junk gives the nearest page)."""
    return Paginator(member_subscriptions(user=user), MY_MARKETS_PER_PAGE).get_page(page)


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
        lot_label, lot_title = (lot.label, lot["title"]) if lot else (UNALLOTTED_LABEL, "")
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
