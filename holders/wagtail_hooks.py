"""The holders' side in the Wagtail admin: registration and hooks (classes in viewsets.py)."""

from django.urls import reverse
from wagtail import hooks
from wagtail.admin.widgets import ListingButton

from core.admin_registry import register_admin
from markets.models import Holder

from .figures import accepted_volume, rounded_amount
from .invitations import INVITE_ACTION, REVOKE_ACTION
from .reports import SUBMIT_ACTION
from .selectors import member_purchases
from .viewsets import HoldersGroup

register_admin(HoldersGroup)


@hooks.register("register_log_actions")
def register_holder_log_actions(actions):
    actions.register_action(INVITE_ACTION, "Contact invité", "Invitation envoyée au contact titulaire")
    actions.register_action(REVOKE_ACTION, "Contact révoqué", "Accès du contact titulaire révoqué")
    actions.register_action(SUBMIT_ACTION, "Rapport soumis", "Rapport semestriel soumis par le titulaire")


@hooks.register("register_snippet_listing_buttons")
def invite_from_holder(snippet, user, next_url=None):
    """On the holders' listing: invite a contact for this holder."""
    if isinstance(snippet, Holder) and user.has_perm("holders.change_holdercontact"):
        url = reverse("holder_contacts:invite") + f"?titulaire={snippet.pk}"
        yield ListingButton("Inviter un contact", url=url, icon_name="mail", priority=30)


@hooks.register("home_key_figures")
def accepted_sales_figure():
    """ "plus de 40 M€ de ventes HT": the volume of accepted reports, never typed."""
    total = accepted_volume()
    return ("plus de " + rounded_amount(total), "de ventes HT déclarées par les titulaires") if total >= 1000 else None


@hooks.register("subscription_tab_sections")
def member_purchases_section(*, user, subscription, tab):
    """On "Gérer mon marché": the user's own establishments' purchases as holders reported
    them in accepted reports, per half-year (a groupement's other members' stay hidden)."""
    if tab != "adhesion":
        return None
    lines = member_purchases(establishment_ids=user.establishments.values("pk"), market=subscription.market_id)
    return ("holders/includes/member_purchases.html", {"lines": lines})
