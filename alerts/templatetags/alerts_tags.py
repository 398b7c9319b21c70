"""What other apps' pages show of the alerts: the dashboard's coming ends, the choices in
"Mon compte". Template tags, so no app has to import alerts."""

from django import template

from ..forms import PreferencesForm
from ..preferences import received_kinds
from ..usage import dashboard_ends

register = template.Library()


@register.inclusion_tag("alerts/includes/dashboard_ends.html", takes_context=True)
def alerts_coming_ends(context):
    user = context["request"].user
    return {"ends": dashboard_ends(user=user) if user.is_active_member else []}


@register.inclusion_tag("alerts/includes/account_preferences.html", takes_context=True)
def alerts_preferences(context):
    request = context["request"]
    return {
        "request": request,
        "preferences": PreferencesForm(initial={"kinds": received_kinds(user=request.user)}),
        "csrf_token": context.get("csrf_token"),
    }
