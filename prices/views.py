from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from core.spreadsheets import table_workbook, workbook_bytes, xlsx_response

from .charts import history_chart
from .selectors import MAX_COMPARE, compared_lines, export_lines, price_search, visible_line, with_market_holders
from .services import format_decimal, format_percent
from .templatetags.prices import holders


@require_GET
def price_list(request):
    results = price_search(request=request, params=request.GET)  # its lines are read if their HTML is not cached
    return render(request, "prices/price_list.html", {"results": results, "max_compare": MAX_COMPARE})


@require_GET
def price_line(request, pk):
    line = visible_line(request=request, pk=pk)
    if line is None:
        raise Http404("Ligne de prix introuvable.")
    versions = list(line.versions.all())

    def label(value, is_net):
        return f"{format_decimal(value)} €" if is_net else f"{format_percent(value)} %"

    return render(
        request,
        "prices/price_line.html",
        {"line": line, "versions": versions, "chart": history_chart(versions, label)},
    )


@require_GET
def price_compare(request):
    ids = request.GET.getlist("ligne")
    lines = with_market_holders(compared_lines(request=request, params=request.GET))
    return render(
        request,
        "prices/price_compare.html",
        {"lines": lines, "too_many": len([v for v in ids if v]) > MAX_COMPARE, "max_compare": MAX_COMPARE},
    )


EXPORT_HEADERS = [
    "Marché",
    "Lot",
    "Titulaire",
    "Référence",
    "Désignation",
    "Éditeur ou marque",
    "Catégorie",
    "Unité",
    "Type de prix",
    "Prix maximum HT (€)",
    "Remise (%)",
    "Prix public HT (€)",
    "Prix net HT (€)",
    "Applicable à partir du",
]


@require_GET
def price_export(request):
    lines = with_market_holders(export_lines(request=request, params=request.GET))
    rows = [
        [
            line.market.title,
            line.lot,
            holders(line),
            line.reference,
            line.designation,
            line.publisher,
            line.category,
            line.unit,
            line.get_kind_display(),
            "sur devis" if line.on_quote else line.price,
            line.discount,
            line.list_price,
            line.net_price,
            line.applies_from,
        ]
        for line in lines
    ]
    workbook = table_workbook(headers=EXPORT_HEADERS, rows=rows, title="Produits et prix")
    name = f"produits-et-prix-{timezone.localdate():%Y-%m-%d}.xlsx"
    return xlsx_response(workbook_bytes(workbook), name)
