"""The context of a help request, read from the server's own data, never from the client:
the page the requester came from (its path resolved by the URLconf), the object that page
concerns when they may see it, their account and establishments, their browser and system.

Everything captured here is shown to the requester before they send ("Contexte applicatif",
"Contexte métier", "Contexte technique"), and only that is stored.
"""

from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import Model
from django.urls import Resolver404, resolve
from django.utils.http import url_has_allowed_host_and_scheme
from ua_parser import parse as parse_user_agent
from wagtail import hooks
from wagtail.models import Page, Site

from core.validators import control_characters
from groupements.selectors import groupement_list_for_user
from markets.models import MarketPage
from members.models import Establishment

# Other apps name the object a page of theirs concerns, if the user may see it: a hook
# `fn(*, user, match) -> Model | None`, so this app needs no import of theirs.
CONCERNS_HOOK = "assistance_request_concerns"
UNKNOWN = "Non connu"
MAX_USER_AGENT = 512

PAGE_LABELS = {
    "members:register": "Inscription : informations sur l'établissement",
    "members:register_personal": "Inscription : informations personnelles",
    "members:login": "Connexion",
    "members:password_reset": "Mot de passe oublié",
    "members:account": "Mon compte",
    "members:account_edit": "Modifier mon compte",
    "members:establishments": "Mes établissements",
    "members:establishment_add": "Ajouter un établissement",
    "members:establishment_edit": "Modifier un établissement",
    "groupements:list": "Mes groupements",
    "groupements:create": "Déposer le tableur d'un groupement",
    "groupements:detail": "Groupement",
    "subscriptions:dashboard": "Tableau de bord",
    "subscriptions:my_markets": "Mes marchés",
    "subscriptions:subscription_request": "Préparer sa souscription",
    "subscriptions:subscription_detail": "Gérer mon marché : mon adhésion",
    "subscriptions:subscription_contacts": "Gérer mon marché : contacts commerciaux",
    "subscriptions:subscription_pieces": "Gérer mon marché : pièces du marché",
    "search:results": "Recherche",
}


@dataclass
class RequestContext:
    portal_version: str
    user: object
    establishments: list = field(default_factory=list)
    page_path: str = ""
    page_label: str = ""
    concerns: Model | None = None
    concerns_label: str = ""
    browser: str = ""
    operating_system: str = ""

    @property
    def establishment_list(self):
        return self.establishments

    @property
    def user_name(self):
        return self.user.get_full_name() if self.user.is_authenticated else ""

    @property
    def user_email(self):
        return self.user.email if self.user.is_authenticated else ""


def origin_path(request, value: str) -> str:
    """The path of a page of this site named in `value` (a path or a same-host URL), else ""."""
    if (
        not value
        or control_characters(value)  # a NUL would reach PostgreSQL: this view reads its own body
        or not url_has_allowed_host_and_scheme(value, allowed_hosts={request.get_host()})
    ):
        return ""
    path = urlsplit(value).path  # the query string may hold what was typed: never kept
    return path[:500] if path.startswith("/") and not path.startswith("//") else ""


@lru_cache(maxsize=512)
def browser_and_system(user_agent: str) -> tuple[str, str]:
    """ "Firefox 128.0", "Windows 10" from a User-Agent header (ua-parser's maintained rules)."""
    result = parse_user_agent(user_agent[:MAX_USER_AGENT])
    browser = system = ""
    if result.user_agent and result.user_agent.family != "Other":
        version = ".".join(part for part in (result.user_agent.major, result.user_agent.minor) if part)
        browser = f"{result.user_agent.family} {version}".strip()
    if result.os and result.os.family != "Other":
        system = f"{result.os.family} {result.os.major or ''}".strip()
    return browser[:100], system[:100]


def _wagtail_page(request, path):
    site = Site.find_for_request(request)
    if site is None:
        return None
    url_path = site.root_page.url_path + path.lstrip("/")
    url_path = url_path if url_path.endswith("/") else url_path + "/"
    page = Page.objects.live().public().filter(url_path=url_path).first()
    return page.specific if page else None


def _market(user, match):
    market_id = match.kwargs.get("market_id")
    if match.namespace == "subscriptions" and market_id:
        return MarketPage.objects.live().public().filter(pk=market_id).first()
    return None


def _groupement(user, match):
    if match.namespace == "groupements" and "pk" in match.kwargs and user.is_authenticated:
        return groupement_list_for_user(user=user).filter(pk=match.kwargs["pk"]).first()
    return None


def _concerned_object(user, match):
    for resolver in [_market, _groupement, *hooks.get_hooks(CONCERNS_HOOK)]:
        if (found := resolver(user=user, match=match)) is not None:
            return found
    return None


def concerns_label(obj) -> str:
    return f"{obj._meta.verbose_name.capitalize()} : {obj}"[:255] if obj is not None else ""


def _resolve_page(request, path):
    """(label, concerned object) of the page at `path`, as this user may see it."""
    try:
        match = resolve(path)
    except Resolver404:
        return "", None
    if match.url_name == "wagtail_serve":
        page = _wagtail_page(request, path)
        if page is None:
            return "", None
        return page.title, page if isinstance(page, MarketPage) else None
    return PAGE_LABELS.get(match.view_name, ""), _concerned_object(request.user, match)


def request_context(request, *, origin: str) -> RequestContext:
    """What a request sent now from `origin` would carry (shown, then stored as is)."""
    user = request.user
    browser, system = browser_and_system(request.headers.get("User-Agent", ""))
    context = RequestContext(
        portal_version=settings.PORTAL_VERSION, user=user, browser=browser, operating_system=system
    )
    if user.is_authenticated:
        context.establishments = list(Establishment.objects.filter(users=user).order_by("name"))
    context.page_path = origin_path(request, origin)
    if context.page_path:
        label, obj = _resolve_page(request, context.page_path)
        context.page_label, context.concerns, context.concerns_label = label, obj, concerns_label(obj)
    return context
