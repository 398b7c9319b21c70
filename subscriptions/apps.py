from django.apps import AppConfig


class SubscriptionsConfig(AppConfig):
    name = "subscriptions"
    verbose_name = "Souscriptions"

    def ready(self):
        from . import permissions  # noqa: F401  (connects the receiver of members' signal)
