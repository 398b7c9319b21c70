from django import template

from markets.models.market import subscription_closed_reason

register = template.Library()


@register.filter
def subscription_closed(market):
    """Why a market (a page, a catalogue card, a price line's market) takes no new subscription."""
    if getattr(market, "notified_on", None) is None or getattr(market, "ends_on", None) is None:
        return ""
    return subscription_closed_reason(market.notified_on, market.ends_on)
