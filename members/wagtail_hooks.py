from members.subscriptions import admin  # noqa: F401  (registers the subscriptions back-office)
