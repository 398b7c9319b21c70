"""The staff's view of alerts: figures on the admin home, and the reach of a publication."""

from django.db.models import Count, Q, Sum
from django.utils import timezone
from wagtail.admin.ui.components import Component

from .models import Delivery, DeliveryKind, Frequency, SavedSearch

FIGURES_DAYS = 30


def alert_figures() -> dict:
    since = timezone.now() - timezone.timedelta(days=FIGURES_DAYS)
    searches = SavedSearch.objects.aggregate(
        total=Count("pk"),
        active=Count("pk", filter=Q(paused=False) & ~Q(frequency=Frequency.NONE)),
        members=Count("user", distinct=True),
    )
    sent = dict(
        Delivery.objects.filter(created_at__gte=since).values_list("kind").annotate(emails=Sum("emails")).order_by()
    )
    return {
        "searches": searches,
        "sent": [(label, sent.get(kind, 0) or 0) for kind, label in DeliveryKind.choices],
        "days": FIGURES_DAYS,
    }


class AlertsPanel(Component):
    name = "alerts"
    order = 70
    template_name = "alerts/admin/panel.html"

    def get_context_data(self, parent_context):
        return alert_figures()
