from members.groupements import admin  # noqa: F401  (registers the groupements staff queue)
from members.subscriptions import admin  # noqa: F401,F811  (registers the subscriptions back-office)
