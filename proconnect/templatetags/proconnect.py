from django import template

from proconnect import client

register = template.Library()


@register.inclusion_tag("proconnect/button.html", takes_context=True)
def proconnect_button(context, next_url=""):
    """ProConnect's button and its "Qu'est-ce que ProConnect ?" link, when configured."""
    return {"enabled": client.configured(), "next": next_url, "csrf_token": context.get("csrf_token")}
