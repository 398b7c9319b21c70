"""The benchmarks' URLs, served instead of ROOT_URLCONF during a run (`timing.serving`).

The floors and wagtail/bakerydemo's search view, then the whole site as the product serves it.
"""

from django.urls import include, path

from . import bakerydemo
from .catalogue import BAKERYDEMO_PATH, FLOOR_PATH, MARKET_FLOOR_PATH, floor_view, market_floor_view

urlpatterns = [
    path(FLOOR_PATH, floor_view),
    path(MARKET_FLOOR_PATH, market_floor_view),
    path(BAKERYDEMO_PATH, bakerydemo.search),
    path("", include("config.urls")),
]
