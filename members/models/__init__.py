from .accounts import User
from .changes import PendingChange
from .establishments import Establishment

__all__ = ["Establishment", "PendingChange", "User"]
