"""Idempotent writers for the demo content: each finds its object by slug, name, title or
e-mail, updates it, and creates it only when missing. Pages are published through a
revision, so MarketPage's derived relations and the search index follow."""

import datetime
import hashlib
import secrets
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.models import Collection, Page, Site
from wagtail.rich_text import RichText

from home.models import HomePage, SiteSettings, StandardPage
from markets.models import Holder, MarketDocument, MarketIndexPage, MarketPage, Theme
from members.models import Establishment, User

from . import content
from .pieces import market_pieces


@dataclass
class Tally:
    """What a run created and updated, for the command's report."""

    created: int = 0
    updated: int = 0

    def add(self, created):
        if created:
            self.created += 1
        else:
            self.updated += 1


class DemoError(Exception):
    pass


# Pages ------------------------------------------------------------------------------------


def publish_child(parent, model, slug, *, many=None, **fields):
    """The `model` child of `parent` with this slug, created or updated, then published.

    `many` gives the values of ParentalManyToManyFields (e.g. a market's themes).
    """
    page = model.objects.child_of(parent).filter(slug=slug).first()
    created = page is None
    if created:
        if Page.objects.child_of(parent).filter(slug=slug).exists():
            raise DemoError(f"« {parent.title} » a déjà une page « {slug} » d'un autre type : renommez-la d'abord.")
        page = model(slug=slug, **fields)
    else:
        for name, value in fields.items():
            setattr(page, name, value)
    for name, values in (many or {}).items():
        getattr(page, name).set(values)
    if created:
        parent.add_child(instance=page)
    page.save_revision().publish()
    return page, created


def _stream(items, pages):
    """Body blocks from content data: headings, paragraphs (HTML), calls to action by slug."""
    blocks = []
    for block_type, value in items:
        if block_type == "paragraph":
            blocks.append(("paragraph", RichText(value)))
        elif block_type == "cta":
            page = pages[value]
            blocks.append(
                (
                    "call_to_action",
                    {
                        "title": page.title,
                        "text": page.specific.introduction,
                        "page": page,
                        "url": "",
                        "link_text": "Lire la suite",
                    },
                )
            )
        else:
            blocks.append((block_type, value))
    return blocks


def ensure_home():
    """The HomePage, root of the default site, in place of Wagtail's "Welcome" page."""
    root = Page.get_first_root_node()
    home = HomePage.objects.first()
    created = home is None
    if created:
        home = HomePage(title=content.HOME["title"], slug=content.HOME["slug"], hero_title=content.HOME["hero_title"])
        root.add_child(instance=home)
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        site = Site(hostname="localhost", port=80, is_default_site=True, site_name="CANUT")
    site.root_page = home
    site.site_name = "CANUT"
    site.save()
    # Wagtail's migration creates a plain "Welcome" page as the default root: remove it.
    # A bare wagtailcore.Page cannot be created in the admin, so at depth 2 it can only be
    # that placeholder; one with children or serving another site is left alone.
    welcome = Page.objects.filter(depth=2, content_type__model="page", content_type__app_label="wagtailcore")
    for page in welcome.exclude(pk=home.pk):
        if page.is_leaf() and not Site.objects.filter(root_page=page).exists():
            page.delete()
    return home, created


def publish_home(home, pages, index):
    data = content.HOME
    home.title = data["title"]
    home.hero_title = data["hero_title"]
    home.hero_text = data["hero_text"]
    home.hero_cta_page = index
    home.hero_cta_text = data["hero_cta_text"]
    home.body = _stream(data["body"], pages)
    home.save_revision().publish()


# The header's editorial links; the guide has its own link, legal pages sit in the footer.
MENU_PAGES = {"qui-sommes-nous", "comment-commander", "conditions-et-prix-de-la-souscription"}


def ensure_standard_pages(home, tally):
    pages, new = {}, set()
    # The bodies link to each other: create every page first, then write the bodies.
    for data in content.STANDARD_PAGES:
        page = StandardPage.objects.child_of(home).filter(slug=data["slug"]).first()
        if page is None:
            page, _ = publish_child(home, StandardPage, data["slug"], title=data["title"])
            new.add(data["slug"])
        pages[data["slug"]] = page
    for data in content.STANDARD_PAGES:
        page, _ = publish_child(
            home,
            StandardPage,
            data["slug"],
            title=data["title"],
            introduction=data["introduction"],
            body=_stream(data["body"], pages),
            show_in_menus=data["slug"] in MENU_PAGES,
        )
        pages[data["slug"]] = page
        tally.add(data["slug"] in new)
    return pages


def ensure_market_index(home, tally):
    data = content.MARKET_INDEX
    index, created = publish_child(
        home, MarketIndexPage, data["slug"], title=data["title"], intro=data["intro"], show_in_menus=True
    )
    tally.add(created)
    return index


def ensure_site_settings(home, pages):
    site = Site.objects.get(root_page=home)
    settings = SiteSettings.for_site(site)
    settings.contact_email = content.SETTINGS["contact_email"]
    for field in ("legal_notice_page", "accessibility_page", "personal_data_page", "user_guide_page"):
        setattr(settings, field, pages[content.SETTINGS[field]])
    settings.save()
    return settings


# Snippets ---------------------------------------------------------------------------------


def ensure_themes(tally):
    themes = {}
    for order, (slug, name, children) in enumerate(content.THEMES):
        parent, created = Theme.objects.update_or_create(
            slug=slug, defaults={"name": name, "parent": None, "sort_order": order}
        )
        tally.add(created)
        themes[slug] = parent
        for child_order, (child_slug, child_name) in enumerate(children):
            child, created = Theme.objects.update_or_create(
                slug=child_slug, defaults={"name": child_name, "parent": parent, "sort_order": child_order}
            )
            tally.add(created)
            themes[child_slug] = child
    return themes


def ensure_holders(tally):
    holders = {}
    for key, (name, siren, website) in content.HOLDERS.items():
        holder, created = Holder.objects.update_or_create(name=name, defaults={"siren": siren, "website": website})
        tally.add(created)
        holders[key] = holder
    return holders


# Documents and markets --------------------------------------------------------------------


def ensure_document(spec, collection, tally):
    """The document titled `spec.doc_title`, generated only when missing (or its file is)."""
    document = MarketDocument.objects.filter(title=spec.doc_title).order_by("pk").first()
    if document is not None and document.file and document.file.storage.exists(document.file.name):
        return document
    data = spec.build()
    document = document or MarketDocument(title=spec.doc_title, collection=collection)
    document.file.save(spec.filename, ContentFile(data), save=False)
    document.file_size = len(data)
    document.file_hash = hashlib.sha1(data).hexdigest()  # noqa: S324  (Wagtail's duplicate check uses SHA-1)
    document.save()
    tally.add(True)
    return document


def _holder_entry(entry, holders):
    return {
        "holder": holders[entry["holder"]],
        "ordering_window": entry["window"],
        "contact_name": entry["name"],
        "contact_email": entry["email"],
        "contact_phone": entry["phone"],
    }


def market_dates(data, today=None):
    if not data.get("upcoming"):
        return data["notified_on"], data["ends_on"]
    today = today or timezone.localdate()
    notified_on = today + datetime.timedelta(days=content.UPCOMING_IN_DAYS)
    return notified_on, notified_on + datetime.timedelta(days=4 * 365)


def ensure_markets(index, themes, holders, tallies):
    collection = Collection.get_first_root_node()
    markets = []
    for data in content.MARKETS:
        notified_on, ends_on = market_dates(data)
        pieces = []
        for spec in market_pieces(data, notified_on, ends_on):
            document = ensure_document(spec, collection, tallies["documents"])
            holder = holders[spec.holder_key] if spec.holder_key else None
            value = {"document": document, "title": spec.label, "kind": spec.kind, "audience": spec.audience}
            pieces.append(("document", {**value, "holder": holder}))
        lots = [
            (
                "lot",
                {
                    "number": lot["number"],
                    "title": lot["title"],
                    "ends_on": None,
                    "holders": [_holder_entry(entry, holders) for entry in lot["holders"]],
                },
            )
            for lot in data.get("lots", [])
        ]
        market, created = publish_child(
            index,
            MarketPage,
            data["slug"],
            title=data["title"],
            subtitle=data["subtitle"],
            summary=data["summary"],
            notified_on=notified_on,
            ends_on=ends_on,
            portal_url=data.get("portal_url", ""),
            many={"themes": [themes[slug] for slug in data["themes"]]},
            lots=lots,
            holders=[("holder", _holder_entry(entry, holders)) for entry in data.get("holders", [])],
            documents=pieces,
        )
        tallies["markets"].add(created)
        markets.append(market)
    return markets


# Accounts ---------------------------------------------------------------------------------

ACCOUNTS = [
    {
        "email": "editeur@canut.org",
        "label": "Administrateur de démonstration (superutilisateur Wagtail, accès à /admin/)",
        "fields": {
            "first_name": "Éditeur",
            "last_name": "Démo",
            "function": "Administrateur du portail (démonstration)",
            "is_staff": True,
            "is_superuser": True,
            "status": "active",
        },
    },
    {
        "email": "adherent.demo@canut.org",
        "label": "Adhérent de démonstration (compte actif, COMMUNE DE NYONS, une convention signée à contresigner)",
        "fields": {
            "first_name": "Camille",
            "last_name": "Adhérente",
            "function": "Responsable informatique (démonstration)",
            "establishment_phone": "04 65 71 99 00",
            "is_staff": False,
            "is_superuser": False,
            "status": "active",
        },
        # A validated establishment, so the member can try "Préparer sa souscription" at once.
        "establishment": {
            "siret": "21260210600016",
            "siren": "212602106",
            "name": "COMMUNE DE NYONS",
            "ape_code": "84.11Z",
            "street_name": "PLACE JOSEPH BUFFAVEN",
            "postcode": "26110",
            "city": "NYONS",
            "status": "validated",
        },
    },
]


def ensure_accounts(*, reset_passwords):
    """Demo accounts; a password is set (and returned) only when created or asked to reset."""
    logins = []
    for account in ACCOUNTS:
        user = User.objects.filter(email__iexact=account["email"]).first()
        created = user is None
        if created:
            user = User(email=account["email"])
        for name, value in account["fields"].items():
            setattr(user, name, value)
        user.is_active = True
        password = None
        if created or reset_passwords:
            password = secrets.token_urlsafe(12)
            user.set_password(password)
        user.save()
        if "establishment" in account:
            data = account["establishment"]
            establishment, _ = Establishment.objects.update_or_create(siret=data["siret"], defaults=data)
            establishment.users.add(user)
        logins.append((account["label"], user.email, password, created))
    return logins
