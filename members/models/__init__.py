from members import lookups  # noqa: F401  (registers the folded_prefix lookup)

from .accounts import User
from .changes import PendingChange
from .directory import DirectoryEntry, DirectoryWord
from .establishments import Establishment
from .groupements import Groupement, GroupementMember
from .subscriptions import AssociationStanding, Subscription, SubscriptionStatus

__all__ = [
    "AssociationStanding",
    "DirectoryEntry",
    "DirectoryWord",
    "Establishment",
    "Groupement",
    "GroupementMember",
    "PendingChange",
    "Subscription",
    "SubscriptionStatus",
    "User",
]
