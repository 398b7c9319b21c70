from .accounts import User
from .establishments import Establishment
from .groupements import Groupement, GroupementMember
from .subscriptions import AssociationStanding, Subscription, SubscriptionStatus

__all__ = [
    "AssociationStanding",
    "Establishment",
    "Groupement",
    "GroupementMember",
    "Subscription",
    "SubscriptionStatus",
    "User",
]
