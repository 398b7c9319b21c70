"""Staff screens for open data: each market's essential data with what it still lacks, and
the holders' SIRET."""

from django.db.models import Prefetch
from django.utils.html import format_html, format_html_join
from wagtail.admin.panels import FieldPanel, HelpPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.snippets.views.snippets import SnippetViewSet

from markets.models import MarketHolder

from .models import HolderSiret, MarketEssentialData, OpenDataSettings
from .selectors import essential_data_missing, in_scope


class MissingColumn(Column):
    """What a market lacks for the DECP files, or why the files leave it out anyway."""

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        buyer = OpenDataSettings.load(request_or_site=parent_context.get("request")).buyer_siret
        missing = essential_data_missing(instance, buyer=buyer)
        text = ", ".join(missing) if missing else "Publiable"
        if not in_scope(instance):
            text = "Hors champ (notifié avant 2024 ou à venir, ou moins de 40 000 € HT) — " + text
        context["value"] = text
        return context


class MissingPanel(HelpPanel):
    """The "Manquant" panel of the edit form: what keeps the market out of the DECP files."""

    class BoundPanel(HelpPanel.BoundPanel):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            instance = self.instance
            if instance is None or not instance.pk:
                self.content = "Enregistrez pour voir ce qui manque."
                return
            missing = essential_data_missing(instance)
            if not missing:
                self.content = format_html(
                    "<p>Données complètes : le marché figure dans les fichiers DECP s'il est dans le champ.</p>"
                )
            else:
                items = format_html_join("", "<li>{}</li>", ((item,) for item in missing))
                self.content = format_html("<p>Manquant pour publier ce marché en DECP :</p><ul>{}</ul>", items)


class EssentialDataViewSet(SnippetViewSet):
    model = MarketEssentialData
    icon = "table"
    menu_label = "Données essentielles (DECP)"
    url_prefix = "donnees-essentielles"
    add_to_admin_menu = True
    menu_order = 260
    list_display = ["market", "identifier", "cpv_code", "amount", MissingColumn("missing", label="Manquant")]
    list_filter = ["nature", "procedure"]
    search_fields = ["identifier"]
    copy_view_enabled = False
    inspect_view_enabled = False

    def get_queryset(self, request):
        holders = MarketHolder.objects.select_related("holder__decp").order_by("sort_order")
        return MarketEssentialData.objects.select_related("market").prefetch_related(
            Prefetch("market__holder_links", queryset=holders)
        )

    @property
    def edit_handler(self):
        return ObjectList([MissingPanel(heading="Manquant"), *MarketEssentialData.panels])


class HolderSiretViewSet(SnippetViewSet):
    model = HolderSiret
    icon = "user"
    menu_label = "SIRET des titulaires"
    url_prefix = "siret-titulaires"
    list_display = ["holder", "siret"]
    search_fields = ["siret"]
    panels = [FieldPanel("holder"), FieldPanel("siret")]
