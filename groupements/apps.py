from django.apps import AppConfig


class GroupementsConfig(AppConfig):
    name = "groupements"
    verbose_name = "Groupements"
