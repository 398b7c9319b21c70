from django.apps import AppConfig


class PricesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "prices"
    verbose_name = "Produits et prix"

    def ready(self):
        from . import signals  # noqa: F401  (the search engine follows the price sources)
