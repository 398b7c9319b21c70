from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = "Site vitrine"

    def ready(self):
        from . import signals

        signals.connect()
