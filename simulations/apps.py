from django.apps import AppConfig


class SimulationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "simulations"
    verbose_name = "Simulations d'achat"

    def ready(self):
        from . import signals  # noqa: F401  (a visitor's simulation follows them when they log in)
