"""Who may authenticate: one rule (User.may_authenticate) for every login form and session."""

from axes.backends import AxesBackend
from django.contrib.auth.backends import ModelBackend


class MemberRuleMixin:
    """Refuses an account staff have not validated (or have refused).

    `user_can_authenticate` is asked both at login (every form: the member's, Wagtail's
    /admin/login/) and when a session is restored (`get_user`): an account refused while
    logged in loses its session at its next request.
    """

    def user_can_authenticate(self, user):
        return super().user_can_authenticate(user) and user.may_authenticate


class LockoutBackend(MemberRuleMixin, AxesBackend):
    """django-axes' lockout first; being a ModelBackend too, it restores sessions (the one
    force_login and Wagtail's preview pick), with the same rule."""


class MemberBackend(MemberRuleMixin, ModelBackend):
    """Checks the password (django-axes' backend only checks the lockout)."""
