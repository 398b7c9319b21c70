from .accounts import User
from .establishments import Establishment
from .groupements import Groupement, GroupementMember

__all__ = ["Establishment", "Groupement", "GroupementMember", "User"]
