"""The site chrome (header and footer menus), read once and cached until editors change it.

The header and footer show the same links on every page for every visitor: the live menu
pages, the catalogue, the footer pages and the contact address of the site settings.
`site_chrome` builds them once per site and keeps them in the cache; publishing,
unpublishing, moving or deleting a page and saving the site settings empty it
(`home.signals`). Per-visitor parts (the account, "Tableau de bord") stay in the templates.
"""

from django import template
from django.core.cache import cache
from wagtail.models import Page, Site
from wagtail.templatetags.wagtailcore_tags import slugurl

from core.site_settings import site_settings

register = template.Library()

CHROME_CACHE_KEY = "home:site-chrome:v1:{site_id}"
# Signals empty the cache on every change; with a per-process cache (no REDIS_URL) other
# workers see it within this many seconds.
CHROME_CACHE_SECONDS = 300
FOOTER_PAGES = [
    ("legal_notice_page", "Mentions légales"),
    ("accessibility_page", "Accessibilité : partiellement conforme"),
    ("personal_data_page", "Données personnelles"),
    ("technical_requirements_page", "Pré-requis techniques"),
]
EMPTY_CHROME = {
    "menu": [],
    "catalogue_url": "",
    "user_guide_page_url": "",
    "footer_pages": [],
    "contact_email": "",
    "has_user_guide_document": False,
}


@register.simple_tag(takes_context=True)
def menu_pages(context):
    """The live pages editors put in menus, under the current site's root (one query)."""
    site = Site.find_for_request(context["request"])
    if site is None:
        return []
    return site.root_page.get_children().live().in_menu().public()


@register.simple_tag(takes_context=True)
def site_chrome(context):
    """{"menu": [(title, url)], "catalogue_url", "user_guide_page_url", "footer_pages":
    [(label, url)], "contact_email", "has_user_guide_document"} for the request's site."""
    request = context.get("request")
    site = Site.find_for_request(request) if request is not None else None
    if site is None:
        return EMPTY_CHROME
    chrome = getattr(request, "_site_chrome", None)  # the header and the footer ask once
    if chrome is None:
        key = CHROME_CACHE_KEY.format(site_id=site.pk)
        chrome = cache.get_or_set(key, lambda: _build_chrome(context, site), CHROME_CACHE_SECONDS)
        request._site_chrome = chrome
    return chrome


def forget_site_chrome():
    cache.delete_many([CHROME_CACHE_KEY.format(site_id=pk) for pk in Site.objects.values_list("pk", flat=True)])


def _build_chrome(context, site):
    request = context["request"]
    menu = menu_pages(context)
    chosen = site_settings(request)
    page_ids = [getattr(chosen, f"{name}_id") for name, _ in FOOTER_PAGES] + [chosen.user_guide_page_id]
    pages = Page.objects.in_bulk([pk for pk in page_ids if pk])

    def url(page_id):
        page = pages.get(page_id)
        return (page.get_url(request) or "") if page else ""

    footer_urls = [(label, url(getattr(chosen, f"{name}_id"))) for name, label in FOOTER_PAGES]

    return {
        "menu": [(page.title, page.get_url(request)) for page in menu if page.slug != "marches"],
        "catalogue_url": slugurl(context, "marches"),
        "user_guide_page_url": url(chosen.user_guide_page_id),
        "footer_pages": [(label, link) for label, link in footer_urls if link],
        "contact_email": chosen.contact_email,
        "has_user_guide_document": bool(chosen.user_guide_document_id),
    }
