from django.urls import path

from . import views

app_name = "prices"

urlpatterns = [
    path("", views.price_list, name="list"),
    path("comparer/", views.price_compare, name="compare"),
    path("export.xlsx", views.price_export, name="export"),
    path("<id:pk>/", views.price_line, name="line"),
]
