from members import lookups  # noqa: F401  (registers the folded_prefix lookup)

from .accounts import User
from .changes import PendingChange
from .directory import DirectoryEntry, DirectoryWord
from .establishments import Establishment

__all__ = ["DirectoryEntry", "DirectoryWord", "Establishment", "PendingChange", "User"]
