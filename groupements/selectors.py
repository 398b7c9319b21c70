"""Reads for groupements: what a member may see and choose."""

from django.db.models import Count, QuerySet

from markets.models import MarketPage
from members.models import Establishment

from .models import Groupement, GroupementMember


def groupement_list_for_user(*, user) -> QuerySet[Groupement]:
    """Groupements led by one of the user's establishments: colleagues manage them together."""
    if not user.is_authenticated:
        return Groupement.objects.none()
    return (
        Groupement.objects.filter(parent__users=user)
        .select_related("parent", "market", "created_by")
        .annotate(member_count=Count("members", distinct=True))
        .distinct()
    )


def groupement_validated_for_user(*, user) -> QuerySet[Groupement]:
    """The groupements the user may subscribe for."""
    return groupement_list_for_user(user=user).filter(
        status=Groupement.Status.VALIDATED, parent__status=Establishment.Status.VALIDATED
    )


def groupement_members(*, groupement: Groupement) -> QuerySet[GroupementMember]:
    return groupement.members.select_related("establishment").order_by("row_number")


def groupement_parent_choices(*, user) -> QuerySet[Establishment]:
    """Only a validated establishment of the user may lead a groupement."""
    if not user.is_authenticated:
        return Establishment.objects.none()
    return user.establishments.filter(status=Establishment.Status.VALIDATED).order_by("name")


def groupement_market_choices() -> QuerySet[MarketPage]:
    return MarketPage.objects.live().order_by("title")
