"""Subscriptions in the Wagtail admin: registration only (the classes are in viewsets.py)."""

from django.contrib import messages
from django.shortcuts import redirect
from wagtail import hooks

from core.admin_registry import register_admin

from . import selectors
from .models import Subscription
from .services import CANCELLED_ACTION, FINALIZED_ACTION, RECEIVED_ACTION
from .viewsets import SubscriptionViewSet

register_admin(SubscriptionViewSet)


@hooks.register("register_log_actions")
def register_step_log_actions(actions):
    actions.register_action(RECEIVED_ACTION, "Convention reçue", "Convention marquée reçue")
    actions.register_action(FINALIZED_ACTION, "Convention finalisée", "Convention contresignée déposée")
    actions.register_action(CANCELLED_ACTION, "Souscription annulée", "Souscription annulée")


@hooks.register("before_delete_page")
def keep_markets_with_subscriptions(request, page):
    """Subscriptions protect their market (conventions are contracts): say so instead of a 500."""
    count = Subscription.objects.filter(market_id=page.pk).count()
    if count:
        messages.error(
            request,
            f"« {page.title} » a {count} souscription(s) : il ne peut pas être supprimé. Dépubliez-le plutôt.",
        )
        return redirect("wagtailadmin_pages:edit", page.pk)
    return None


@hooks.register("assistance_request_concerns")
def subscription_concerned_by_help_request(*, user, match):
    """The subscription a "Gérer mon marché" page shows, when `user` may see it: the
    assistance records it with a help request sent from there (it cannot import us)."""
    if match.namespace != "subscriptions" or "pk" not in match.kwargs or not user.is_authenticated:
        return None
    return selectors.member_subscriptions(user=user).filter(pk=match.kwargs["pk"]).first()
