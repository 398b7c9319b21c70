from members.groupements import admin  # noqa: F401
