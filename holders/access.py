"""Who reaches the holder space, and keeping holder accounts out of the member area.

Both read `request.user` only on the paths they guard: the health check and public
pages never touch the session or the database for it.
"""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from .selectors import contact_for

# Member-area URL namespaces a holder account is sent away from, and the pages of them it
# keeps: logging in and out, its password.
MEMBER_NAMESPACES = frozenset({"members", "subscriptions", "groupements", "billing"})
HOLDER_ALLOWED = frozenset(
    {
        "members:login",
        "members:logout",
        "members:password_reset",
        "members:password_reset_done",
        "members:password_reset_confirm",
        "members:password_reset_complete",
        "members:password_change",
    }
)


class HolderRequiredMixin(LoginRequiredMixin):
    """The holder space: an active holder contact only (members and staff get a 403)."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.contact = contact_for(user=request.user)
        if self.contact is None:
            return TemplateResponse(request, "holders/not_holder.html", status=403)
        self.holder = self.contact.holder
        return super().dispatch(request, *args, **kwargs)


class KeepHoldersOutMiddleware:
    """A holder account asking for a member page lands in its own space instead."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or match.namespace not in MEMBER_NAMESPACES or match.view_name in HOLDER_ALLOWED:
            return None
        if getattr(request.user, "is_holder", False):
            return redirect("holders:home")
        return None
