"""The holders' side in the Wagtail admin: registration and hooks (classes in viewsets.py)."""

from django.urls import reverse
from wagtail import hooks
from wagtail.admin.widgets import ListingButton

from core.admin_registry import register_admin
from markets.models import Holder

from .invitations import INVITE_ACTION, REVOKE_ACTION
from .reports import SUBMIT_ACTION
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
