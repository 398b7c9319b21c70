"""Wagtail's relative dates, right in French: Wagtail recognises "just now" by comparing with
"0 minutes", but French says "0 minute" (singular), so a fresh row read "Il y a 0 minute"."""

import datetime

from django import template
from django.utils import timezone
from django.utils.translation import gettext
from wagtail.admin.templatetags.wagtailadmin_tags import timesince_simple

register = template.Library()


@register.filter
def since(value):
    if isinstance(value, datetime.datetime) and timezone.now() - value < datetime.timedelta(minutes=1):
        return gettext("just now")
    return timesince_simple(value)
