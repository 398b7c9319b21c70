"""The one way to read the site settings editors set (contact address, support phone, guide…).

The model is named by SITE_SETTINGS_MODEL and looked up by name, so `core` and the apps
below `home` read it without importing `home`.
"""

from django.apps import apps
from django.conf import settings
from wagtail.models import Site


def site_settings(request=None):
    """The settings of the request's site, or of the default site without a request (emails,
    tasks); None when there is no such site (a foreign host, an empty database)."""
    if request is not None:
        site = Site.find_for_request(request)
    else:
        site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return None
    return apps.get_model(settings.SITE_SETTINGS_MODEL).for_site(site)
