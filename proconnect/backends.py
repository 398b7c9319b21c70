"""Signing in with a verified ProConnect identity: the same rule as every login
(members.backends.MemberRuleMixin: only validated accounts), the same lockout (the
LockoutBackend before it in AUTHENTICATION_BACKENDS refuses a locked-out client, and a
refusal here is a failure django-axes counts)."""

from django.contrib.auth.backends import ModelBackend
from django.utils import timezone

from members.backends import MemberRuleMixin

from .models import ProConnectIdentity


class ProConnectBackend(MemberRuleMixin, ModelBackend):
    def authenticate(self, request, proconnect_sub=None, **kwargs):
        # Only proconnect.views calls this, with the `sub` of an ID token it has checked.
        if not proconnect_sub:
            return None
        link = ProConnectIdentity.objects.select_related("user").filter(sub=proconnect_sub).first()
        if link is None or not self.user_can_authenticate(link.user):
            return None
        ProConnectIdentity.objects.filter(pk=link.pk).update(last_login_at=timezone.now())
        return link.user
