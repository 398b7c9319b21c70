from django.apps import AppConfig


class ProConnectConfig(AppConfig):
    name = "proconnect"
    verbose_name = "ProConnect"

    def ready(self):
        from . import signals  # noqa: F401  (the end of the ProConnect session at sign-out)
