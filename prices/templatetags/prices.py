from django import template

from ..services import format_decimal

register = template.Library()


@register.filter
def price(value):
    """1 234,56 — French figures with a narrow no-break space between thousands."""
    return format_decimal(value)


@register.inclusion_tag("prices/includes/market_prices_link.html", takes_context=True)
def market_prices_link(context, market):
    """ "Voir les 350 produits et prix" on a market page, counting only what the reader may see."""
    from ..selectors import visible_lines

    count = visible_lines(context["request"]).filter(market=market).count()
    return {"market": market, "count": count}
