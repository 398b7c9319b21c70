from django import template

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


@register.filter
def holders(line):
    """Who sells a line: its holder, or the market's holders when the piece names none (a
    market-wide BPU of several holders)."""
    if line.holder_id:
        return line.holder.name
    return ", ".join(link.holder.name for link in line.market.holder_links.all())


@register.inclusion_tag("prices/includes/market_prices_link.html", takes_context=True)
def market_prices_link(context, market):
    """ "Voir les 350 produits et prix" on a market page, counting only what the reader may see."""
    from ..selectors import visible_lines

    count = visible_lines(context["request"]).filter(market=market).count()
    return {"market": market, "count": count}
