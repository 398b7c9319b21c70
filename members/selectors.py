"""Reads of the members app: keyword-only, typed, no side effects."""

import re

from django.db.models import Count, Func, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404

from directory.models import REFERENCE_FIELDS
from directory.selectors import directory_entry_data, register_entry_data
from markets.models import MarketPage

from .models import Establishment, PendingChange, User


def establishment_choice(*, siret: str) -> dict | None:
    """The fields of the establishment a member picked in the search results, or None:
    the directory's, else a validated establishment's, else the register's."""
    siret = re.sub(r"\D", "", siret or "")[:14]
    if len(siret) != 14:
        return None
    if data := directory_entry_data(siret=siret):
        return data
    known = Establishment.objects.filter(siret=siret, status=Establishment.Status.VALIDATED).first()
    if known:
        return {name: getattr(known, name) for name in REFERENCE_FIELDS}
    return register_entry_data(siret=siret)


class _CountDistinct(Func):
    """COUNT(DISTINCT …) as a plain function: in a subquery it adds no GROUP BY."""

    function = "COUNT"
    template = "%(function)s(DISTINCT %(expressions)s)"
    output_field = IntegerField()


def with_market_count(establishments: QuerySet[Establishment]) -> QuerySet[Establishment]:
    """Annotates `market_count`: the markets each establishment reaches through a live
    subscription, its own or that of a groupement it belongs to, each market once.

    Read from the market through the subscriptions' and groupements' reverse relations, by
    name: members imports nothing above it. One subquery, so still one query per list.
    """
    reached = MarketPage.objects.filter(
        Q(subscriptions__establishment=OuterRef("pk"))
        | Q(subscriptions__groupement__members__establishment=OuterRef("pk")),
        subscriptions__cancelled_on__isnull=True,
    )
    count = reached.order_by().annotate(count=_CountDistinct("pk")).values("count")
    return establishments.annotate(market_count=Subquery(count, output_field=IntegerField()))


def establishment_list_for_user(*, user: User) -> QuerySet[Establishment]:
    """The member's establishments, each with its users, its open changes and `market_count`.

    A fixed number of queries whatever the number of establishments.
    """
    return (
        with_market_count(Establishment.objects.filter(users=user))
        .prefetch_related(
            Prefetch("users", queryset=User.objects.order_by("last_name", "first_name")),
            Prefetch(
                "pending_changes",
                queryset=PendingChange.objects.pending().filter(kind=PendingChange.Kind.ESTABLISHMENT),
                to_attr="open_changes",
            ),
        )
        .order_by("name", "pk")
    )


def establishment_get_for_user(*, user: User, pk: int) -> Establishment:
    """One of the member's establishments; any other is a 404, never its data."""
    establishment = Establishment.objects.filter(users=user, pk=pk).first()
    if establishment is None:
        raise Http404("Établissement introuvable.")
    return establishment


def pending_change_for(*, user: User, kind: str, establishment: Establishment | None = None) -> PendingChange | None:
    return PendingChange.objects.pending().filter(requested_by=user, kind=kind, establishment=establishment).first()


def pending_attachments_for_user(*, user: User) -> QuerySet[PendingChange]:
    return (
        PendingChange.objects.pending()
        .filter(requested_by=user, kind=PendingChange.Kind.ATTACHMENT)
        .select_related("establishment")
    )


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n > 1 else ''}"


def join_request_summary(*, change: PendingChange) -> str:
    """What staff read first on a request to join: who the establishment already has."""
    establishment = (
        Establishment.objects.filter(pk=change.establishment_id)
        .annotate(
            user_count=Count("users", distinct=True),
            subscription_count=Count(
                "subscriptions", filter=Q(subscriptions__cancelled_on__isnull=True), distinct=True
            ),
        )
        .get()
    )
    return (
        f"{change.requested_by.get_full_name() or change.requested_by.email} rejoint {establishment.name}, "
        f"qui a déjà {_count(establishment.user_count, 'utilisateur')} "
        f"et {_count(establishment.subscription_count, 'souscription')}."
    )


def join_requests_for_member(*, user: User) -> QuerySet[PendingChange]:
    """Pending requests to join the member's establishments, from confirmed addresses.

    Only an active member of a validated establishment sees them (members.services.
    establishment_vouched_users): the requester's name is for the staff the CANUT vouched for.
    """
    if user.status != User.Status.ACTIVE:
        return PendingChange.objects.none()
    return (
        PendingChange.objects.pending()
        .filter(
            kind=PendingChange.Kind.ATTACHMENT,
            establishment__users=user,
            establishment__status=Establishment.Status.VALIDATED,
            requested_by__email_confirmed_at__isnull=False,
        )
        .exclude(requested_by=user)
        .select_related("requested_by", "establishment")
        .order_by("created_at")
    )


def join_request_get_for_member(*, user: User, pk: int) -> PendingChange:
    """One of those requests; any other is a 404."""
    change = join_requests_for_member(user=user).filter(pk=pk).first()
    if change is None:
        raise Http404("Demande introuvable.")
    return change
