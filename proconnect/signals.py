"""Signing out of the portal ends the ProConnect session too (members.views.auth.LogoutView
follows `request.logout_redirect_url`)."""

from django.contrib.auth.signals import user_logged_out
from django.dispatch import receiver

from . import client
from .services import post_logout_redirect_uri


@receiver(user_logged_out, dispatch_uid="proconnect.end_session")
def end_proconnect_session(sender, request, user, **kwargs):
    id_token = request.session.get("proconnect.id_token") if request is not None else None
    if not id_token or not client.configured():
        return
    from .views import logout_state

    url = client.end_session_url(
        id_token=id_token, state=logout_state(), post_logout_redirect_uri=post_logout_redirect_uri()
    )
    if url:
        request.logout_redirect_url = url
