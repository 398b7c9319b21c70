"""Who may authenticate: one rule (User.may_authenticate) for every login form and session."""

from datetime import timedelta

from axes.backends import AxesBackend
from axes.models import AccessAttempt, AccessFailureLog
from django.contrib.auth.backends import ModelBackend
from django.utils import timezone

from core.proxy import client_ip


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


def lockout_cool_off(request=None) -> timedelta:
    """How long a client stays locked out after AXES_FAILURE_LIMIT failures: 15 minutes the
    first time in a day, then twice as long at each new lockout (at most a day).

    Only the client is locked (AXES_LOCKOUT_PARAMETERS), never the account for everyone:
    a stranger who knows an address cannot keep its owner out. Each lockout leaves one
    `AccessFailureLog` marked locked_out (failures during a lockout are not recorded).
    """
    base = timedelta(minutes=15)
    address = getattr(request, "axes_ip_address", None) or (client_ip(request) if request is not None else None)
    if not address:
        return base
    since = timezone.now() - timedelta(days=1)
    lockouts = AccessFailureLog.objects.filter(ip_address=address, locked_out=True, attempt_time__gte=since).count()
    return min(base * 2 ** max(lockouts - 1, 0), timedelta(days=1))


def attempted_username(request, credentials=None) -> str | None:
    """The username django-axes records for a failed login, cut to what its column holds:
    a login form may send any length (Django's authentication form does not bound it), and
    a 10,000-character one was a 500 on PostgreSQL."""
    source = credentials if credentials else getattr(request, "POST", {})
    username = source.get("username") if source else None
    return username[: AccessAttempt._meta.get_field("username").max_length] if username else username
