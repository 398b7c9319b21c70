"""Who sees a market's pieces: a django-guardian permission on the MarketPage
(markets.access.PIECES_PERMISSION), held by each user a live subscription covers: the
users of the subscribing establishment and, for a groupement, of every child.
"""

from django.db.models import Q
from django.dispatch import receiver
from guardian.models import UserObjectPermission
from guardian.shortcuts import assign_perm, remove_perm

from markets.access import PIECES_PERMISSION
from markets.models import MarketPage
from members.models import Establishment, User
from members.signals import user_establishments_changed

from .models import Subscription


def _covered_users(*, establishment: Establishment, groupement=None):
    """The users who see the pieces of a subscription of `establishment` (for `groupement`)."""
    covered = Q(establishments=establishment)
    if groupement is not None:
        covered |= Q(establishments__groupement_memberships__groupement=groupement)
    return User.objects.filter(covered).distinct()


def market_grant(*, market: MarketPage, establishment: Establishment, groupement=None) -> None:
    users = _covered_users(establishment=establishment, groupement=groupement)
    assign_perm(PIECES_PERMISSION, users, market)


def market_revoke(*, market: MarketPage, establishment: Establishment, groupement=None) -> None:
    """Take the permission back, except from users another live subscription still covers."""
    live = Subscription.objects.live().filter(market=market)
    still_covered = User.objects.filter(
        Q(establishments__subscriptions__in=live)
        | Q(establishments__groupement_memberships__groupement__subscriptions__in=live)
    ).values("pk")
    users = _covered_users(establishment=establishment, groupement=groupement).exclude(pk__in=still_covered)
    remove_perm(PIECES_PERMISSION, users, market)


def user_sync_market_permissions(*, user: User) -> None:
    """Make `user`'s pieces permissions match the live subscriptions of their establishments.

    For a user attached to or detached from an establishment (members sends
    user_establishments_changed): grants what is covered, takes back what no longer is.
    """
    covered = set(
        Subscription.objects.live()
        .filter(Q(establishment__users=user) | Q(groupement__members__establishment__users=user))
        .values_list("market_id", flat=True)
    )
    held = set(
        UserObjectPermission.objects.filter(
            user=user,
            permission__codename=PIECES_PERMISSION.split(".")[1],
            permission__content_type__app_label="markets",
        ).values_list("object_pk", flat=True)
    )
    held = {int(pk) for pk in held}
    for market in MarketPage.objects.filter(pk__in=covered - held):
        assign_perm(PIECES_PERMISSION, user, market)
    stale = MarketPage.objects.filter(pk__in=held - covered)
    if stale:
        remove_perm(PIECES_PERMISSION, user, stale)


@receiver(user_establishments_changed)
def _sync_on_attachment(sender, *, user, **kwargs):
    user_sync_market_permissions(user=user)
