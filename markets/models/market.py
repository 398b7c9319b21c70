import uuid
from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.functional import cached_property
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, HelpPanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from core.text import fold
from markets.access import Audience, audiences_for, pieces_for
from markets.blocks import DocumentKind, DocumentStreamBlock, HolderStreamBlock, LotStreamBlock

from .snippets import Holder, Theme
from .stamp import CatalogueStamp

DERIVED_FROM = {"lots", "holders", "documents"}
GENERAL_PIECES_HEADING = "Documents du marché"


@dataclass
class PieceGroup:
    """A heading of "Pièces du marché" and the pieces under it."""

    heading: str
    pieces: list = field(default_factory=list)


class MarketStatus(models.TextChoices):
    CURRENT = "en-cours", "En cours"
    ENDED = "termines", "Terminés"
    UPCOMING = "a-venir", "À venir"


ALL_STATUSES = "tous"


def market_status_filter(status, today=None):
    """The markets of a status ("tous": all of them), as a filter on MarketPage."""
    today = today or timezone.localdate()
    if status == MarketStatus.ENDED:
        return Q(ends_on__lt=today)
    if status == MarketStatus.UPCOMING:
        return Q(notified_on__gt=today)
    if status == ALL_STATUSES:
        return Q()
    return Q(notified_on__lte=today, ends_on__gte=today)


# What only a market's own page shows: a list reading markets beside its rows (price lines,
# subscriptions, simulations) leaves them out (their blocks are most of a market's row).
MARKET_BODIES = ("summary", "body", "lots", "holders", "documents", "search_description", "seo_title")


def without_market_bodies(queryset, relation="market"):
    """`queryset`, reading its `relation`'s market without the `MARKET_BODIES`."""
    return queryset.defer(*(f"{relation}__{name}" for name in MARKET_BODIES))


def subscription_closed_reason(notified_on, ends_on, today=None):
    """Why "Préparer sa souscription" is not offered for a market of these dates ("" when it is).

    Only a market in force takes new subscriptions: an ended one no longer takes orders, and
    an upcoming one has no convention to sign before its notification. Existing
    subscriptions keep their access either way.
    """
    today = today or timezone.localdate()
    if ends_on < today:
        return f"Ce marché a pris fin le {ends_on:%d/%m/%Y} : il n'est plus possible d'y souscrire."
    if notified_on > today:
        return f"Ce marché sera notifié le {notified_on:%d/%m/%Y} : la souscription ouvrira à cette date."
    return ""


class MarketPage(Page):
    """A framework agreement (accord-cadre).

    Editors write lots, holders and pieces in StreamFields; on save, the holders and pieces
    are copied into plain relations (MarketHolder, MarketPiece) that queries, facets and
    download checks read. Only the saved, live version feeds them: drafts never do.
    """

    subtitle = models.CharField(
        "sous-titre", max_length=255, blank=True, help_text="Par exemple « Accord-cadre à bons de commande »."
    )
    summary = models.TextField("résumé", help_text="Quelques lignes présentant l'objet du marché.")
    body = RichTextField("présentation", blank=True)
    themes = ParentalManyToManyField("markets.Theme", verbose_name="thèmes", blank=True, related_name="markets")
    notified_on = models.DateField("date de notification")
    ends_on = models.DateField("date de fin")
    portal_url = models.URLField("portail de commande du titulaire", blank=True)
    lots = StreamField(LotStreamBlock(), verbose_name="lots", blank=True)
    holders = StreamField(
        HolderStreamBlock(),
        verbose_name="titulaires (marché non alloti)",
        blank=True,
        help_text="À renseigner quand le marché n'a pas de lots.",
    )
    documents = StreamField(DocumentStreamBlock(), verbose_name="pièces du marché", blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("subtitle"),
        FieldPanel("summary"),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("notified_on"), FieldPanel("ends_on"), FieldPanel("portal_url")],
            heading="Dates et commande",
        ),
        FieldPanel("themes", widget=forms.CheckboxSelectMultiple),
    ]
    holder_panels = [
        HelpPanel("Chaque titulaire a un contact commercial unique, visible des seuls souscripteurs."),
        FieldPanel("lots"),
        FieldPanel("holders"),
    ]
    document_panels = [FieldPanel("documents")]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading="Marché"),
            ObjectList(holder_panels, heading="Lots et titulaires"),
            ObjectList(document_panels, heading="Pièces"),
            ObjectList(Page.promote_panels, heading="Promotion"),
            ObjectList(Page.settings_panels, heading="Publication"),
        ]
    )

    search_fields = Page.search_fields + [
        index.SearchField("subtitle", boost=2),
        index.SearchField("summary"),
        index.SearchField("search_text"),
        index.FilterField("notified_on"),
        index.FilterField("ends_on"),
        # For the engine's facets (markets.catalogue_engine) and its suggestions as you type.
        index.FilterField("holder_ids", type="IntegerField"),
        index.FilterField("theme_ids", type="IntegerField"),
        index.AutocompleteField("holder_names"),
    ]

    parent_page_types = ["markets.MarketIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = "marché (accord-cadre)"
        verbose_name_plural = "marchés (accords-cadres)"
        permissions = [("view_market_pieces", "Peut consulter les pièces réservées aux souscripteurs")]
        indexes = [
            # Wagtail's database search joins its entries on `page_ptr_id::varchar(50) = object_id`:
            # without this the planner cannot look a hit's market up, and a keyword search over
            # 5,000 markets compared 1.5 million pairs for one page of results (220 ms, now 15).
            models.Index(Cast("page_ptr_id", models.CharField(max_length=50)), name="market_search_object_id"),
        ]

    # Validation -------------------------------------------------------------------------

    def clean(self):
        super().clean()
        errors = {}
        if self.notified_on and self.ends_on and self.ends_on <= self.notified_on:
            errors["ends_on"] = "La date de fin doit être postérieure à la date de notification."
        if not any(True for _ in self.holder_entries()):
            errors["holders"] = "Indiquez au moins un titulaire, dans un lot ou dans la liste des titulaires."
        if errors:
            raise ValidationError(errors)

    # Reading the blocks -----------------------------------------------------------------

    def holder_entries(self):
        """Each (lot value or None, holder entry value), lots first."""
        for lot in self.lots:
            for entry in lot.value["holders"]:
                yield lot.value, entry
        for block in self.holders:
            yield None, block.value

    def holder_ids(self):
        ids = []
        for _, entry in self.holder_entries():
            holder = entry["holder"]
            if holder is not None and holder.pk not in ids:
                ids.append(holder.pk)
        return ids

    def holder_names(self):
        names = {}
        for _, entry in self.holder_entries():
            if entry["holder"] is not None:
                names.setdefault(entry["holder"].pk, entry["holder"].name)
        return " ".join(names.values())

    def theme_ids(self):
        """Its themes and their parents: a theme's facet counts the markets of its sub-themes once."""
        return sorted({pk for theme in self._themes() for pk in (theme.pk, theme.parent_id) if pk})

    def _themes(self):
        themes = self.themes.all()
        if not getattr(themes, "_prefetch_done", False):  # prefetched (get_indexed_objects) or in memory: as is
            themes = themes.select_related("parent")
        return themes

    def search_text(self):
        """What a keyword may match, folded (see core.text): what the public page shows.

        The index answers everyone, so lots (shown to members) and pieces meant for
        members or subscribers stay out of it: their titles must not find the market.
        """
        parts = [self.title, self.subtitle, self.summary]
        # The blocks already hold the Holder rows: no query (the indexer calls this five times).
        holders = {}
        for _, entry in self.holder_entries():
            if entry["holder"] is not None:
                holders.setdefault(entry["holder"].pk, entry["holder"].name)
        parts += sorted(holders.values())
        for theme in self._themes():
            parts += [theme.name, theme.parent.name if theme.parent_id else ""]
        parts += [
            block.value["title"] or getattr(block.value["document"], "title", "")
            for block in self.documents
            if block.value["audience"] == Audience.PUBLIC
        ]
        return fold(" ".join(parts))

    def piece_groups(self, pieces):
        """`pieces` as every "Pièces du marché" shows them: the general ones first, then one
        group per holder in the lots' order ("Lot n°1 — Licences : SOFTCORNER"), a holder of
        several lots heading them all. Pieces of a holder the blocks no longer name come
        last under its name; empty groups are left out.
        """
        lots_by_holder = {}
        for lot, entry in self.holder_entries():
            holder = entry["holder"]
            if holder is not None:
                lots = lots_by_holder.setdefault(holder.pk, [])
                if lot is not None:
                    lots.append(f"{lot.label} — {lot['title']}")
        general, by_holder = PieceGroup(GENERAL_PIECES_HEADING), {pk: [] for pk in lots_by_holder}
        holders = {}
        for piece in pieces:
            if piece.holder_id is None:
                general.pieces.append(piece)
            else:
                holders[piece.holder_id] = piece.holder
                by_holder.setdefault(piece.holder_id, []).append(piece)
        groups = [general]
        for pk, holder_pieces in by_holder.items():
            if holder_pieces:
                lots = ", ".join(lots_by_holder.get(pk, []))
                name = holders[pk].name
                groups.append(PieceGroup(f"{lots} : {name}" if lots else name, holder_pieces))
        return [group for group in groups if group.pieces]

    # Derived relations ------------------------------------------------------------------

    def save(self, *args, **kwargs):
        result = super().save(*args, **kwargs)
        update_fields = kwargs.get("update_fields")
        # Saving a draft revision updates only bookkeeping fields: the live blocks stand.
        if update_fields is None or DERIVED_FROM & set(update_fields):
            self.sync_derived_relations()
            # Wagtail indexes on post_save, before modelcluster writes the themes: index
            # again now that they are stored, so theme names are searchable at once.
            index.insert_or_update_object(self)
        # Last, once the themes and derived rows are written (publishing runs in no
        # transaction): a catalogue computed before this saw none of the change.
        CatalogueStamp.renew()
        return result

    def sync_derived_relations(self):
        holders, pieces = self.derived_relations()
        MarketHolder.objects.filter(market=self).delete()
        MarketHolder.objects.bulk_create(holders)
        MarketPiece.objects.filter(market=self).delete()
        MarketPiece.objects.bulk_create(pieces)

    def derived_relations(self):
        """The MarketHolder and MarketPiece rows the blocks give, unsaved (bulk writers save many at once)."""
        holders = [
            MarketHolder(market=self, holder_id=holder_id, sort_order=order)
            for order, holder_id in enumerate(self.holder_ids())
        ]
        pieces = [
            MarketPiece(
                market=self,
                document=block.value["document"],
                title=block.value["title"] or block.value["document"].title,
                kind=block.value["kind"],
                audience=block.value["audience"],
                holder=block.value["holder"],
                sort_order=order,
            )
            for order, block in enumerate(self.documents)
            if block.value["document"] is not None
        ]
        return holders, pieces

    @classmethod
    def get_indexed_objects(cls):
        # search_text reads each market's themes and their parents: two queries for all.
        themes = models.Prefetch("themes", queryset=Theme.objects.select_related("parent"))
        return super().get_indexed_objects().prefetch_related(themes)

    # Presentation -----------------------------------------------------------------------

    @property
    def status(self):
        today = timezone.localdate()
        if self.notified_on > today:
            return MarketStatus.UPCOMING
        if self.ends_on < today:
            return MarketStatus.ENDED
        return MarketStatus.CURRENT

    @property
    def subscription_closed_reason(self):
        return subscription_closed_reason(self.notified_on, self.ends_on)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["reading"] = MarketReading(self, request)
        return context


class MarketReading:
    """What a market page shows its reader. The page's body is cached under `fragment_key`
    (its template's `{% cache %}`): what it reads is read only when that body is drawn."""

    def __init__(self, market, request):
        self.market, self.request = market, request
        self.audiences = audiences_for(request.user, market)
        self.can_see_lots = Audience.MEMBERS in self.audiences
        self.can_see_contacts = Audience.SUBSCRIBERS in self.audiences

    @property
    def fragment_key(self):
        """What the body shows: the market, its holders, themes and documents as they are
        (the catalogue's stamp, renewed when one is saved), the day (status, subscription),
        the reader's audiences and being logged in, the host (links)."""
        if getattr(self.request, "is_preview", False):
            return f"preview:{uuid.uuid4()}"  # a draft shown in the admin: never the live page's body
        audiences = ",".join(sorted(self.audiences))
        today = timezone.localdate().isoformat()
        reader = f"{audiences}:{self.request.user.is_authenticated}:{self.request.get_host()}"
        return f"{self.market.pk}:{CatalogueStamp.current()}:{today}:{reader}"

    @property
    def index_url(self):
        """The breadcrumb's "Tous les marchés": this URL without its slug (the parent page unread)."""
        url = self.market.get_url(self.request)
        return url[: url.rstrip("/").rfind("/") + 1]

    @cached_property
    def _pieces(self):
        return pieces_for(self.request.user, self.market, self.audiences)

    @property
    def piece_groups(self):
        return self.market.piece_groups(self._pieces[0])

    @property
    def hidden_pieces_count(self):
        return self._pieces[1]

    @cached_property
    def holders(self):
        return [link.holder for link in self.market.holder_links.select_related("holder__logo")]

    @cached_property
    def themes(self):
        return list(self.market.themes.select_related("parent"))


class MarketHolder(models.Model):
    """Derived from the lots and holders blocks: which holders a market has."""

    market = models.ForeignKey(MarketPage, on_delete=models.CASCADE, related_name="holder_links")
    holder = models.ForeignKey(Holder, on_delete=models.CASCADE, related_name="market_links")
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order"]
        constraints = [models.UniqueConstraint(fields=["market", "holder"], name="unique_market_holder")]

    def __str__(self):
        return f"{self.holder} – {self.market}"


class MarketPiece(models.Model):
    """Derived from the documents block: a piece of a market, its kind and audience."""

    market = models.ForeignKey(MarketPage, on_delete=models.CASCADE, related_name="pieces")
    document = models.ForeignKey("markets.MarketDocument", on_delete=models.CASCADE, related_name="pieces")
    title = models.CharField(max_length=255)
    kind = models.CharField(max_length=20, choices=DocumentKind.CHOICES)
    audience = models.CharField(max_length=20, choices=Audience.choices)
    holder = models.ForeignKey(Holder, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order"]
        indexes = [models.Index(fields=["document", "audience"])]

    def __str__(self):
        return self.title

    @property
    def kind_label(self):
        return DocumentKind.LABELS.get(self.kind, self.kind)

    @property
    def url(self):
        return self.document.url
