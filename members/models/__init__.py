from .accounts import User
from .changes import JoinObjection, PendingChange
from .establishments import Establishment

__all__ = ["Establishment", "JoinObjection", "PendingChange", "User"]
