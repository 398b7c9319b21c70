from django.conf import settings
from django.db import models
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, PageChooserPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from core.text import folded_title
from markets.selectors import catalogue_figures, latest_markets

from .blocks import BodyStreamBlock


class HomePage(Page):
    """The showcase's front page: an editable hero and body, figures computed from the data."""

    hero_title = models.CharField("titre d'accroche", max_length=255)
    hero_text = models.TextField("texte d'accroche", blank=True)
    hero_cta_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name="page du bouton d'accroche",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hero_cta_text = models.CharField("texte du bouton d'accroche", max_length=60, blank=True)
    body = StreamField(BodyStreamBlock(), verbose_name="contenu", blank=True)

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("hero_title"),
                FieldPanel("hero_text"),
                PageChooserPanel("hero_cta_page"),
                FieldPanel("hero_cta_text"),
            ],
            heading="Accroche",
        ),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("hero_text"),
        index.SearchField("body"),
        index.SearchField("folded_title"),
    ]

    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = "page d'accueil"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["figures"] = catalogue_figures()
        # Figures other apps compute (home cannot import them): `home_key_figures` hooks
        # return (value, label), or None to stay out.
        context["more_figures"] = [figure for hook in hooks.get_hooks("home_key_figures") if (figure := hook())]
        context["latest_markets"] = latest_markets(limit=3)
        return context

    def folded_title(self):
        return folded_title(self)


class StandardPage(Page):
    """Editorial pages: "Qui sommes-nous", "Comment commander", conditions and prices…"""

    introduction = models.TextField("chapô", blank=True)
    body = StreamField(BodyStreamBlock(), verbose_name="contenu", blank=True)

    content_panels = Page.content_panels + [FieldPanel("introduction"), FieldPanel("body")]
    search_fields = Page.search_fields + [
        index.SearchField("introduction"),
        index.SearchField("body"),
        index.SearchField("folded_title"),
    ]

    parent_page_types = ["home.HomePage", "home.StandardPage"]
    subpage_types = ["home.StandardPage"]

    class Meta:
        verbose_name = "page éditoriale"

    def folded_title(self):
        return folded_title(self)


# The one promise made about how soon staff validate an account or an establishment.
VALIDATION_DELAY = "sous 3 heures ouvrées"


@register_setting(icon="cog")
class SiteSettings(BaseSiteSetting):
    contact_email = models.EmailField("e-mail de contact", default="canut@canut.org")
    validation_delay = models.CharField(
        "délai de validation annoncé",
        max_length=60,
        default=VALIDATION_DELAY,
        help_text="Dit aux membres partout où ils attendent la CANUT, par exemple « sous 3 heures ouvrées ».",
    )
    legal_notice_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name="mentions légales",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    accessibility_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name="accessibilité",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    personal_data_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name="données personnelles",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    user_guide_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name="guide d'utilisation du portail",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    user_guide_document = models.ForeignKey(
        settings.WAGTAILDOCS_DOCUMENT_MODEL,
        verbose_name="guide d'utilisation (PDF)",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Téléchargeable par tous depuis le pied de page et la page d'aide.",
    )
    technical_requirements_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name="pré-requis techniques",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    support_phone = models.CharField("téléphone de l'assistance", max_length=30, blank=True)
    support_hours = models.CharField(
        "horaires de l'assistance",
        max_length=100,
        blank=True,
        help_text="Par exemple : du lundi au vendredi, de 9 h à 18 h.",
    )

    panels = [
        FieldPanel("contact_email"),
        FieldPanel("validation_delay"),
        MultiFieldPanel(
            [
                PageChooserPanel("legal_notice_page"),
                PageChooserPanel("accessibility_page"),
                PageChooserPanel("personal_data_page"),
                PageChooserPanel("user_guide_page"),
                FieldPanel("user_guide_document"),
                PageChooserPanel("technical_requirements_page"),
            ],
            heading="Liens du pied de page",
        ),
        MultiFieldPanel([FieldPanel("support_phone"), FieldPanel("support_hours")], heading="Assistance"),
    ]

    class Meta:
        verbose_name = "réglages du site"
