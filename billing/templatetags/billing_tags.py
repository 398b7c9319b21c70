"""What other apps' templates show of billing, without importing it: the fee estimate
(an inclusion tag) and French money."""

from django import template
from django.utils import timezone

from .. import selectors
from ..fees import euros as format_euros
from ..fees import ordinal, percent

register = template.Library()


@register.filter
def euros(value):
    return format_euros(value) if value is not None else ""


@register.inclusion_tag("billing/includes/fee_estimate.html", takes_context=True)
def fee_estimate(context, market, establishment=None, standing=""):
    """The estimate for `establishment` (by default the user's only, or first, validated
    establishment) if its subscription to `market` were finalized today; `standing`
    "neither": for an establishment that does not join the association."""
    if not establishment:
        user = context.get("user")
        if user is None or not user.is_authenticated:
            return {"estimate": None}
        establishment = user.establishments.filter(status="validated").order_by("name").first()
    if not establishment or not market:
        return {"estimate": None}
    estimate = selectors.fee_estimate(
        market=market, establishment=establishment, today=timezone.localdate(), non_member=standing == "neither"
    )
    if estimate is None or estimate.free:
        return {"estimate": estimate, "establishment": establishment}
    fee, schedule = estimate.fee, estimate.schedule
    return {
        "estimate": estimate,
        "establishment": establishment,
        "fee": fee,
        "rank_label": ordinal(fee.rank),
        "discount": percent(fee.discount) if fee.discount else "",
        "second": percent(schedule.second_discount),
        "later": percent(schedule.later_discount),
    }
