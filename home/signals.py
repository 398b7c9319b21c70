"""Empty the cached site chrome (home.templatetags.navigation) when what it shows changes."""

from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, Site
from wagtail.signals import page_published, page_unpublished, post_page_move


def forget_site_chrome(**kwargs):
    from home.templatetags.navigation import forget_site_chrome as forget

    forget()


def connect():
    from home.models import SiteSettings

    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(forget_site_chrome, dispatch_uid=f"home-chrome-{id(signal)}")
    post_delete.connect(forget_site_chrome, sender=Page, dispatch_uid="home-chrome-page-delete")
    for model in (Site, SiteSettings):
        post_save.connect(forget_site_chrome, sender=model, dispatch_uid=f"home-chrome-save-{model.__name__}")
        post_delete.connect(forget_site_chrome, sender=model, dispatch_uid=f"home-chrome-delete-{model.__name__}")
