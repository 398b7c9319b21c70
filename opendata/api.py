"""The catalogue's read-only API (Wagtail's API v2): what the public page of a market shows,
to anyone, the same for everyone. No authentication is read, so a subscriber's session
opens nothing more; lots (shown to members only) and contacts are not part of it."""

from django.conf import settings
from django.db.models import Prefetch, Q
from django.urls import path
from rest_framework import serializers
from rest_framework.exceptions import Throttled
from rest_framework.renderers import JSONRenderer
from wagtail.api import APIField
from wagtail.api.v2.pagination import WagtailPagination
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import BaseAPIViewSet, PagesAPIViewSet
from wagtail.search.backends import get_search_backend

from core.throttle import allow, client_id
from markets.access import Audience
from markets.models import Holder, MarketHolder, MarketPage, MarketPiece, Theme
from markets.models.market import ALL_STATUSES, MarketStatus, market_status_filter

LIMIT_MAX = 20  # Wagtail's WAGTAILAPI_LIMIT_MAX default
OFFSET_MAX = 10_000  # deeper than any catalogue; keeps OFFSET inside what the database accepts
SEARCH_MAX = 1_000
KEYWORD_MAX_LENGTH = 200


class BoundedPagination(WagtailPagination):
    def paginate_queryset(self, queryset, request, view=None):
        for name, maximum in (("offset", OFFSET_MAX), ("limit", LIMIT_MAX)):
            value = request.GET.get(name, "0")
            if not value.isdigit() or len(value) > 6 or int(value) > maximum:
                raise BadRequestError(f"{name} must be an integer between 0 and {maximum}")
        return super().paginate_queryset(queryset, request, view)


class ThrottledReadOnly:
    """Anonymous and counted: an hourly limit per address, shared by every worker (core.throttle)."""

    authentication_classes = []
    renderer_classes = [JSONRenderer]
    pagination_class = BoundedPagination
    known_query_parameters = frozenset(["limit", "offset", "fields"])

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        limit = getattr(settings, "OPENDATA_API_HOURLY_LIMIT", 3600)
        if not allow(("client", client_id(request)), limit=limit, namespace="api"):
            raise Throttled(detail="Trop de requêtes : réessayez dans une heure.")

    @classmethod
    def get_urlpatterns(cls):
        # Wagtail's own patterns with <id:pk> (core.converters) for its <int:pk>: an id past
        # 64 bits is no URL of the site (404), where SQLite could not even be asked (500).
        return [
            path("", cls.as_view({"get": "listing_view"}), name="listing"),
            path("<id:pk>/", cls.as_view({"get": "detail_view"}), name="detail"),
            path("find/", cls.as_view({"get": "find_view"}), name="find"),
        ]

    @classmethod
    def get_body_fields(cls, model):
        return cls._convert_api_fields(cls.body_fields + cls.api_fields)


# Serializer fields reading the prefetched relations ------------------------------------------


class ThemesField(serializers.Field):
    def to_representation(self, market):
        return [
            {"id": theme.pk, "name": theme.name, "slug": theme.slug, "parent": theme.parent_id}
            for theme in market.themes.all()
        ]


class HoldersField(serializers.Field):
    def to_representation(self, market):
        return [
            {"id": link.holder.pk, "name": link.holder.name, "slug": link.holder.slug, "website": link.holder.website}
            for link in market.holder_links.all()
        ]


class PublicPiecesField(serializers.Field):
    def to_representation(self, market):
        request = self.context["request"]
        return [
            {"title": piece.title, "kind": piece.kind, "url": request.build_absolute_uri(piece.url)}
            for piece in market.public_pieces
        ]


class StatusField(serializers.Field):
    def to_representation(self, market):
        return {"value": market.status.value, "label": market.status.label}


def public_markets():
    return MarketPage.objects.live().public()


class MarketsAPIViewSet(ThrottledReadOnly, PagesAPIViewSet):
    name = "marches"
    model = MarketPage
    filter_backends = []
    known_query_parameters = ThrottledReadOnly.known_query_parameters | {"theme", "holder", "status", "search"}
    find_query_parameters = frozenset()
    body_fields = ["id", "title"]
    meta_fields = ["type", "detail_url", "html_url", "slug", "first_published_at"]
    api_fields = [
        "subtitle",
        "summary",
        "notified_on",
        "ends_on",
        "portal_url",
        APIField("status", serializer=StatusField(source="*")),
        APIField("market_themes", serializer=ThemesField(source="*")),
        APIField("market_holders", serializer=HoldersField(source="*")),
        APIField("public_pieces", serializer=PublicPiecesField(source="*")),
    ]
    listing_default_fields = ["id", "type", "detail_url", "html_url", "title", "subtitle", "notified_on", "ends_on"]
    detail_only_fields = []

    @classmethod
    def get_detail_default_fields(cls, model):
        return cls.get_available_fields(model)

    @classmethod
    def get_listing_default_fields(cls, model):
        return cls.listing_default_fields[:]

    def get_base_queryset(self):
        return public_markets()

    def get_queryset(self):
        params = self.request.GET
        markets = public_markets()
        status = params.get("status")
        if status is not None:
            if status not in {*MarketStatus.values, ALL_STATUSES}:
                raise BadRequestError("status must be one of: " + ", ".join([*MarketStatus.values, ALL_STATUSES]))
            markets = markets.filter(market_status_filter(status))
        if params.get("theme"):
            slug = params["theme"]
            markets = markets.filter(Q(themes__slug=slug) | Q(themes__parent__slug=slug)).distinct()
        if params.get("holder"):
            markets = markets.filter(holder_links__holder__slug=params["holder"])
        if "search" in params:
            keyword = params["search"].strip()
            if len(keyword) > KEYWORD_MAX_LENGTH:
                raise BadRequestError(f"search is limited to {KEYWORD_MAX_LENGTH} characters")
            if keyword:
                hits = get_search_backend().search(keyword, public_markets())[:SEARCH_MAX]
                markets = markets.filter(pk__in=[hit.pk for hit in hits])
        return markets.order_by("title", "pk").prefetch_related(
            Prefetch("themes", queryset=Theme.objects.order_by("sort_order", "name")),
            Prefetch("holder_links", queryset=MarketHolder.objects.select_related("holder").order_by("sort_order")),
            Prefetch(
                "pieces",
                queryset=MarketPiece.objects.filter(audience=Audience.PUBLIC).select_related("document"),
                to_attr="public_pieces",
            ),
        )

    def get_object(self):
        try:
            return self.get_queryset().get(pk=self.kwargs["pk"])
        except MarketPage.DoesNotExist as error:
            from django.http import Http404

            raise Http404("Marché introuvable.") from error


class HoldersAPIViewSet(ThrottledReadOnly, BaseAPIViewSet):
    name = "titulaires"
    model = Holder
    body_fields = ["id", "name"]
    meta_fields = ["type", "detail_url"]
    api_fields = ["slug", "website"]
    listing_default_fields = ["id", "type", "detail_url", "name", "slug", "website"]

    def get_queryset(self):
        # A holder named only by unpublished or private markets stays unknown.
        shown = MarketHolder.objects.filter(market__in=public_markets()).values("holder_id")
        return Holder.objects.filter(pk__in=shown).order_by("name", "pk")


class ThemesAPIViewSet(ThrottledReadOnly, BaseAPIViewSet):
    name = "themes"
    model = Theme
    body_fields = ["id", "name"]
    meta_fields = ["type", "detail_url"]
    api_fields = ["slug", APIField("parent_id")]
    listing_default_fields = ["id", "type", "detail_url", "name", "slug", "parent_id"]

    def get_queryset(self):
        return Theme.objects.order_by("sort_order", "name", "pk")


api_router = WagtailAPIRouter("opendata_api")
api_router.register_endpoint("marches", MarketsAPIViewSet)
api_router.register_endpoint("titulaires", HoldersAPIViewSet)
api_router.register_endpoint("themes", ThemesAPIViewSet)
