from django.apps import AppConfig


class AssistanceConfig(AppConfig):
    name = "assistance"
    verbose_name = "Assistance"

    def ready(self):
        from . import signals  # noqa: F401  (the FAQ page is reindexed when an entry changes)
