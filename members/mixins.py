"""What a member's page asks of its visitor, for every app with pages in the member space."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.template.response import TemplateResponse


class ActiveMemberRequiredMixin(LoginRequiredMixin):
    """Anonymous visitors log in; accounts awaiting validation are told why they cannot go on."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not request.user.is_active_member:
            return TemplateResponse(request, "members/inactive.html", status=403)
        return super().dispatch(request, *args, **kwargs)
