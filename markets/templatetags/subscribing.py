from django import template

from markets.models.market import subscription_closed_reason

register = template.Library()


@register.filter
def subscription_closed(market):
    """Why a market (a page, a catalogue card, a price line's market) takes no new subscription."""
    if getattr(market, "notified_on", None) is None or getattr(market, "ends_on", None) is None:
        return ""
    return subscription_closed_reason(market.notified_on, market.ends_on)


@register.simple_tag(takes_context=True)
def subscribe_button(context, market):
    """ "Préparer sa souscription" for `market`, or why it takes none: drawn once per market
    and template (a page of price results shows a few markets twenty times)."""
    drawn = context.render_context.setdefault("subscribe_buttons", {})
    if market.pk not in drawn:
        template = context.template.engine.get_template("markets/includes/subscribe_button.html")
        with context.push(market=market):
            drawn[market.pk] = template.render(context)
    return drawn[market.pk]
