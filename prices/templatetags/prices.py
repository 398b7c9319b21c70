from django import template
from django.utils.html import format_html

from ..services import format_decimal, format_percent

register = template.Library()


@register.filter
def price(value):
    """1 234,56 and 89,00 — French figures with a narrow no-break space between thousands."""
    return format_decimal(value)


@register.filter
def percent(value):
    """20 or 12,5 (a discount rate)."""
    return format_percent(value)


@register.simple_tag
def price_value(line):
    """What a line costs ("Remise 12,5 % soit 89,00 € HT (prix public 101,71 € HT) / licence"),
    each figure formatted once, in Python: a page of results drew it through an include
    whose template lookups and filters were a good part of the page's time."""
    if line.on_quote:
        value = format_html('<strong class="price">Sur devis</strong>')
    elif line.kind == "remise":
        value = format_html('<strong class="price">Remise {} %</strong>', format_percent(line.discount))
        if line.net_price is not None:
            value = format_html(
                '{} <span class="price-net">soit {} € HT</span> <span class="muted">(prix public {} € HT)</span>',
                value,
                format_decimal(line.net_price),
                format_decimal(line.list_price),
            )
    else:
        value = format_html('<strong class="price">{} € HT</strong>', format_decimal(line.price))
    if line.unit:
        value = format_html('{} <span class="price-unit">/ {}</span>', value, line.unit)
    return value


@register.filter
def holders(line):
    """Who sells a line: its holder, or the market's holders when the piece names none (a
    market-wide BPU of several holders)."""
    if line.holder_id:
        return line.holder.name
    return ", ".join(link.holder.name for link in line.market.holder_links.all())


@register.inclusion_tag("prices/includes/market_prices_link.html", takes_context=True)
def market_prices_link(context, market):
    """ "Voir les 350 produits et prix" on a market page, counting only what the reader may
    see. Drawn inside the page's cached body, whose key changes when an import is applied."""
    from ..selectors import visible_lines, visible_sources

    request = context["request"]
    sources = visible_sources(request, market=market)
    count = visible_lines(request, sources).filter(market=market).count() if sources else 0
    return {"market": market, "count": count}
