"""The one way the admin prints a moment: Paris time (TIME_ZONE), day first, nothing when empty."""

import datetime

from django.utils import timezone

DATETIME_FORMAT = "%d/%m/%Y %H:%M"
DATE_FORMAT = "%d/%m/%Y"


def display_value(value):
    """A datetime as "31/01/2026 14:05" in the site's time zone, a date as "31/01/2026",
    None as ""; anything else unchanged."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.strftime(DATETIME_FORMAT)
    if isinstance(value, datetime.date):
        return value.strftime(DATE_FORMAT)
    return value


def is_empty(value) -> bool:
    # Wagtail's inspect view prints "-" for an empty relation.
    return value is None or (isinstance(value, str) and value.strip() in ("", "-", "None"))
