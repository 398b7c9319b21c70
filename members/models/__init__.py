from .accounts import User
from .establishments import Establishment
from .subscriptions import AssociationStanding, Subscription, SubscriptionStatus

__all__ = ["AssociationStanding", "Establishment", "Subscription", "SubscriptionStatus", "User"]
