from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Socle commun"

    def ready(self):
        from .choosers import tolerate_forged_ids
        from .converters import register
        from .routing import connect

        register()
        tolerate_forged_ids()
        connect()
