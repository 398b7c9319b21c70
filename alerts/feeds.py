"""Public Atom feeds of new and updated agreements: all of them, one theme's, one holder's.

Anyone may read them, so they carry only what the public page shows to a visitor (title,
subtitle, summary, dates, holders, themes) of live markets under no page privacy
restriction: no lot, contact or piece. Each costs three queries whatever the catalogue.
"""

from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed

from markets.models import Holder, MarketHolder, MarketPage, Theme

from .selectors import catalogue_url

FEED_ITEMS = 30


class MarketFeed(Feed):
    feed_type = Atom1Feed
    title = "CANUT — marchés nouveaux et mis à jour"
    subtitle = "Les accords-cadres de la centrale d'achat, à leur publication et à chaque mise à jour."

    def get_object(self, request, *args, **kwargs):
        self.request = request
        return None

    def link(self, obj):
        return catalogue_url()

    def markets(self, obj):
        return MarketPage.objects.live().public()

    def items(self, obj):
        holders = Prefetch("holder_links", queryset=MarketHolder.objects.select_related("holder"))
        markets = self.markets(obj).filter(last_published_at__isnull=False)
        return list(markets.prefetch_related("themes", holders).order_by("-last_published_at", "-pk")[:FEED_ITEMS])

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        holders = ", ".join(link.holder.name for link in item.holder_links.all())
        parts = [item.subtitle, item.summary, f"Titulaire(s) : {holders}" if holders else ""]
        parts.append(f"Du {item.notified_on:%d/%m/%Y} au {item.ends_on:%d/%m/%Y}.")
        return "\n".join(part for part in parts if part)

    def item_link(self, item):
        return item.get_url(self.request)

    def item_guid(self, item):
        return f"tag:{self.request.get_host().split(':')[0]},2026:marche:{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at

    def item_categories(self, item):
        return [theme.name for theme in item.themes.all()]


class ThemeFeed(MarketFeed):
    def get_object(self, request, slug):
        self.request = request
        return get_object_or_404(Theme, slug=slug)

    def title(self, obj):
        return f"CANUT — marchés du thème « {obj.name} »"

    def markets(self, obj):
        return super().markets(obj).filter(themes__in=[obj, *obj.children.all()]).distinct()


class HolderFeed(MarketFeed):
    def get_object(self, request, slug):
        self.request = request
        return get_object_or_404(Holder, slug=slug)

    def title(self, obj):
        return f"CANUT — marchés de {obj.name}"

    def markets(self, obj):
        return super().markets(obj).filter(holder_links__holder=obj).distinct()
