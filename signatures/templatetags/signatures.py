"""The signed-convention panel of "Gérer mon marché": subscriptions' template loads it by
name, so subscriptions never imports this app."""

from django import template

from ..models import SignedConvention

register = template.Library()


@register.inclusion_tag("signatures/includes/subscription_panel.html")
def signed_convention_panel(subscription):
    return {
        "subscription": subscription,
        "signed": SignedConvention.objects.filter(subscription=subscription).first(),
    }
