from django.conf import settings
from django.db import models
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting


class ProConnectIdentity(models.Model):
    """A ProConnect identity (its stable `sub`) linked to an account: created at a
    registration through ProConnect, or once the owner of an existing account proved it
    (password or emailed link). Signing in with ProConnect finds the account here, never
    by email alone."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="proconnect_identities", verbose_name="compte"
    )
    sub = models.CharField("identifiant ProConnect (sub)", max_length=255, unique=True)
    idp_id = models.CharField("fournisseur d'identité", max_length=255, blank=True)
    siret = models.CharField("SIRET transmis", max_length=14, blank=True)
    linked_at = models.DateTimeField("lié le", auto_now_add=True)
    last_login_at = models.DateTimeField("dernière connexion", null=True, blank=True)

    class Meta:
        verbose_name = "identité ProConnect"
        verbose_name_plural = "identités ProConnect"

    def __str__(self):
        return f"ProConnect {self.sub[:12]}… → {self.user_id}"


@register_setting(icon="key")
class ProConnectSettings(BaseSiteSetting):
    trust_siret = models.BooleanField(
        "faire confiance au SIRET transmis par ProConnect",
        default=False,
        help_text=(
            "Coché : un agent qui s'inscrit avec ProConnect rejoint aussitôt un établissement déjà validé "
            "dont le SIRET est celui que ProConnect transmet, et ses utilisateurs en sont informés. "
            "Décoché : ce rattachement est une demande que la CANUT valide, comme aujourd'hui."
        ),
    )

    class Meta:
        verbose_name = "ProConnect"
