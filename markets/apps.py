from django.apps import AppConfig


class MarketsConfig(AppConfig):
    name = "markets"
    verbose_name = "Marchés"

    def ready(self):
        from . import signals

        signals.connect()
