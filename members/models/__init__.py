from .accounts import User
from .establishments import Establishment

__all__ = ["Establishment", "User"]
