import warnings

from django.apps import AppConfig

# pyHanko imports cryptography's DSA key type, deprecated there; nothing here uses DSA.
warnings.filterwarnings("ignore", message="DSA is deprecated", module="pyhanko")


class SignaturesConfig(AppConfig):
    name = "signatures"
    verbose_name = "Signatures électroniques"
