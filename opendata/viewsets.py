"""Staff screens for open data: each market's essential data with what it still lacks, each
lot's own data for allotted markets, and the holders' SIRET."""

from django.urls import reverse
from django.utils.html import format_html, format_html_join
from wagtail.admin.panels import FieldPanel, HelpPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet

from .models import HolderSiret, LotEssentialData, MarketEssentialData, OpenDataSettings
from .selectors import contracts_of, essential_data_missing, essential_data_queryset, in_scope

OUT_OF_SCOPE = "Hors champ (notifié avant 2024 ou à venir, ou moins de 40 000 € HT) — "


def _buyer(request):
    return OpenDataSettings.load(request_or_site=request).buyer_siret


class MissingIndexView(IndexView):
    """Works out what each row of the page lacks in one pass (a constant number of queries,
    whatever the page's length) before the table draws its « Manquant » column."""

    def get_table(self, object_list):
        rows = list(object_list)
        markets = {self.essential_data_of(row).pk: self.essential_data_of(row) for row in rows}
        by_market = contracts_of(markets.values(), buyer=_buyer(self.request)) if markets else {}
        for row in rows:
            data = self.essential_data_of(row)
            row.decp_contracts = by_market[data.pk]
        return super().get_table(rows)

    def essential_data_of(self, row):
        return row


class LotMissingIndexView(MissingIndexView):
    def essential_data_of(self, row):
        return row.essential_data


class MissingColumn(Column):
    """What a market lacks for the DECP files, or why the files leave it out anyway."""

    def get_value(self, instance):
        # Read from the contracts MissingIndexView worked out, not from the model's `missing`.
        missing = essential_data_missing(instance, contracts=getattr(instance, "decp_contracts", None))
        text = ", ".join(missing) if missing else "Publiable"
        return text if in_scope(instance) else OUT_OF_SCOPE + text


class LotMissingColumn(Column):
    """What a lot lacks of its own (its market's lacks are on the market's row)."""

    def get_value(self, instance):
        _, contracts = instance.decp_contracts
        missing = next((c.missing for c in contracts if c.lot is not None and c.lot.pk == instance.pk), None)
        if missing is None:
            return "Lot retiré du marché : publiez le marché pour mettre la liste à jour"
        return ", ".join(missing) if missing else "Complet"


class MissingPanel(HelpPanel):
    """The "Manquant" panel of the edit form: what keeps the market out of the DECP files,
    lot by lot for an allotted market, with a link to each lot's data."""

    class BoundPanel(HelpPanel.BoundPanel):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            instance = self.instance
            if instance is None or not instance.pk:
                self.content = "Enregistrez pour voir ce qui manque."
                return
            missing = essential_data_missing(instance)
            if not missing:
                text = format_html(
                    "<p>Données complètes : le marché figure dans les fichiers DECP s'il est dans le champ.</p>"
                )
            else:
                items = format_html_join("", "<li>{}</li>", ((item,) for item in missing))
                text = format_html("<p>Manquant pour publier ce marché en DECP :</p><ul>{}</ul>", items)
            lots = list(instance.lots.all())
            if lots:
                links = format_html_join(
                    "",
                    '<li><a href="{}">{}</a></li>',
                    ((reverse(LotEssentialDataViewSet.edit_url_name(), args=[lot.pk]), lot.label) for lot in lots),
                )
                text = format_html(
                    "{}<p>Marché alloti : les DECP publient chaque lot comme un contrat, avec son identifiant, "
                    "son montant et ses titulaires ; il reprend les autres données du marché.</p><ul>{}</ul>",
                    text,
                    links,
                )
            self.content = text


class LotMissingPanel(HelpPanel):
    class BoundPanel(HelpPanel.BoundPanel):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            lot = self.instance
            data = lot.essential_data
            _, contracts = contracts_of([data], buyer=_buyer(self.request))[data.pk]
            missing = next((c.missing for c in contracts if c.lot is not None and c.lot.pk == lot.pk), None)
            title = next((b.value["title"] for b in data.market.lots if b.id == lot.block_id), "")
            market_link = format_html(
                '<p>Marché : <a href="{}">{}</a> (les autres données du lot sont celles du marché).</p>'
                "<p>Intitulé du lot sur le site (réservé aux membres) : {}</p>",
                reverse(EssentialDataViewSet.edit_url_name(), args=[data.pk]),
                data.market.title,
                title or "—",
            )
            if missing is None:
                status = format_html("<p>Ce lot n'est plus dans le marché publié.</p>")
            elif missing:
                items = format_html_join("", "<li>{}</li>", ((item,) for item in missing))
                status = format_html("<p>Manquant pour publier ce lot en DECP :</p><ul>{}</ul>", items)
            else:
                status = format_html("<p>Données du lot complètes.</p>")
            self.content = format_html("{}{}", market_link, status)


class EssentialDataViewSet(SnippetViewSet):
    model = MarketEssentialData
    icon = "table"
    menu_label = "Données essentielles (DECP)"
    url_prefix = "donnees-essentielles"
    add_to_admin_menu = True
    menu_order = 260
    index_view_class = MissingIndexView
    list_display = ["market", "identifier", "cpv_code", "amount", MissingColumn("missing", label="Manquant")]
    list_filter = ["nature", "procedure"]
    search_fields = ["identifier"]
    copy_view_enabled = False
    inspect_view_enabled = False

    @staticmethod
    def edit_url_name():
        return "wagtailsnippets_opendata_marketessentialdata:edit"

    def get_queryset(self, request):
        return essential_data_queryset()

    @property
    def edit_handler(self):
        return ObjectList([MissingPanel(heading="Manquant"), *MarketEssentialData.panels])


class LotRowsPolicy(ModelPermissionPolicy):
    """Lot rows follow the market's lot blocks (opendata.services): nobody adds one by hand."""

    def user_has_permission(self, user, action):
        return action != "add" and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return super().user_has_any_permission(user, [action for action in actions if action != "add"])


class LotEssentialDataViewSet(SnippetViewSet):
    model = LotEssentialData
    icon = "list-ul"
    menu_label = "Lots (DECP)"
    url_prefix = "donnees-essentielles-lots"
    # Reached from each allotted market's essential data (its « Manquant » panel links its lots).
    add_to_admin_menu = False
    index_view_class = LotMissingIndexView
    list_display = [
        "essential_data", Column("label", label="Lot"), "identifier", "amount",
        LotMissingColumn("missing", label="Manquant"),
    ]  # fmt: skip
    search_fields = ["identifier"]
    copy_view_enabled = False
    inspect_view_enabled = False

    @staticmethod
    def edit_url_name():
        return "wagtailsnippets_opendata_lotessentialdata:edit"

    def get_queryset(self, request):
        return LotEssentialData.objects.select_related("essential_data__market").prefetch_related(
            "essential_data__market__holder_links__holder__decp", "essential_data__lots"
        )

    @property
    def edit_handler(self):
        return ObjectList([LotMissingPanel(heading="Manquant"), *LotEssentialData.panels])


class HolderSiretViewSet(SnippetViewSet):
    model = HolderSiret
    icon = "user"
    menu_label = "SIRET des titulaires"
    url_prefix = "siret-titulaires"
    list_display = ["holder", "siret"]
    search_fields = ["siret"]
    panels = [FieldPanel("holder"), FieldPanel("siret")]
