from members import lookups  # noqa: F401  (registers the folded_prefix lookup)

from .accounts import User
from .changes import PendingChange
from .directory import DirectoryEntry, DirectoryWord
from .establishments import Establishment
from .subscriptions import AssociationStanding, Subscription, SubscriptionStatus

__all__ = [
    "AssociationStanding",
    "DirectoryEntry",
    "DirectoryWord",
    "Establishment",
    "PendingChange",
    "Subscription",
    "SubscriptionStatus",
    "User",
]
