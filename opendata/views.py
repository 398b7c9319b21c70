import json
from datetime import datetime, time

from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.http import http_date
from django.views.generic import TemplateView

from .cpv import cpv_search
from .openapi import openapi_document
from .selectors import decp_file

CONTENT_TYPES = {"json": "application/json; charset=utf-8", "xml": "application/xml; charset=utf-8"}


def decp(request, fmt):
    body, published_on = decp_file(fmt)
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'inline; filename="decp.{fmt}"'
    stamp = timezone.make_aware(datetime.combine(published_on, time.min))
    response["Last-Modified"] = http_date(stamp.timestamp())
    return response


def openapi(request):
    document = openapi_document(request.build_absolute_uri("/api/v2/"))
    return JsonResponse(document, json_dumps_params={"ensure_ascii": False})


class OpenDataView(TemplateView):
    template_name = "opendata/open_data.html"

    def get_context_data(self, **kwargs):
        body, published_on = decp_file("json")
        count = len(json.loads(body)["marches"]["marche"])
        return super().get_context_data(count=count, published_on=published_on, **kwargs)


def cpv_search_view(request):
    """The admin's CPV suggestions (opendata.cpv.CpvInput): at most 20 codes for `q`."""
    query = request.GET.get("q", "")
    if "\x00" in query:
        return JsonResponse({"results": []}, status=400)
    results = [{"code": code, "label": label} for code, label in cpv_search(query)]
    return JsonResponse({"results": results}, json_dumps_params={"ensure_ascii": False})
