"""Each user's choice of alerts on what they use (UsageKind): all on until turned off."""

from .models import AlertOptOut, UsageKind


def received_kinds(*, user) -> list[str]:
    off = set(AlertOptOut.objects.filter(user=user).values_list("kind", flat=True))
    return [kind for kind in UsageKind.values if kind not in off]


def preferences_set(*, user, kinds) -> None:
    wanted_off = set(UsageKind.values) - set(kinds)
    AlertOptOut.objects.filter(user=user).exclude(kind__in=wanted_off).delete()
    for kind in wanted_off:
        AlertOptOut.objects.get_or_create(user=user, kind=kind)
