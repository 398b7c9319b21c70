from django.urls import path

from . import views

app_name = "opendata"

urlpatterns = [
    path("", views.OpenDataView.as_view(), name="index"),
    path("decp.json", views.decp, {"fmt": "json"}, name="decp_json"),
    path("decp.xml", views.decp, {"fmt": "xml"}, name="decp_xml"),
]
