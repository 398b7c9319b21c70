"""Fixtures every test folder shares: the page tree, the accounts, a fake company register."""

import os

import pytest
import redis
from django.conf import settings
from django.core.cache import cache
from django.test import TestCase, TransactionTestCase
from wagtail.models import Collection, Locale, Page, Site

from home.models import HomePage
from tests.directory.register import UNREACHABLE_URL, FakeRegister
from tests.factories.markets import MarketIndexPageFactory
from tests.factories.members import EstablishmentFactory, StaffFactory, UserFactory
from tests.servers import start_redis

# Playwright's sync API keeps an event loop in the test thread (see browser/conftest.py).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


# Order -----------------------------------------------------------------------------------


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Among transactional tests (which pytest-django runs after the other database tests),
    those that reload the migrations' rows (serialized_rollback) run first.

    Only tests that read those rows (the default site, groups, permissions…) ask for the
    reload, which costs each of them a deserialization of the whole initial database. A
    transactional test without it leaves the content types and permissions post_migrate
    writes after its flush; a reload after that would insert them a second time and fail.
    """
    items.sort(key=_database_rank)  # stable: pytest-django's order holds within each rank


def _database_rank(item):
    """0: in a test transaction, 1: transactional with the reload, 2: without, 3: no database."""
    cls = getattr(item, "cls", None)
    if cls is not None and issubclass(cls, TransactionTestCase):
        if issubclass(cls, TestCase):
            return 0
        return 1 if cls.serialized_rollback else 2
    marker = item.get_closest_marker("django_db")
    fixtures = getattr(item, "fixturenames", ())
    if marker is None and "db" not in fixtures and "transactional_db" not in fixtures and "live_server" not in fixtures:
        return 3
    kwargs = marker.kwargs if marker is not None else {}
    transactional = kwargs.get("transaction") or "transactional_db" in fixtures or "live_server" in fixtures
    if not transactional:
        return 0
    return 1 if kwargs.get("serialized_rollback") else 2


# Pages -----------------------------------------------------------------------------------


@pytest.fixture
def home_page(db):
    """A HomePage at the root of the default site, built here rather than by migrations."""
    # Live-server tests flush the tables, migration-made rows included: rebuild what is missing.
    Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    Collection.get_first_root_node() or Collection.add_root(name="Root")
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
    home = root.add_child(
        instance=HomePage(title="Accueil", slug="accueil-test", hero_title="La centrale d'achat du numérique")
    )
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "root_page": home, "port": 80}
    )
    return home


@pytest.fixture
def market_index(home_page):
    return MarketIndexPageFactory(parent=home_page)


# Accounts --------------------------------------------------------------------------------


@pytest.fixture
def member(db):
    return UserFactory(email="agent@nyons.fr", first_name="Agnès", last_name="Martin")


@pytest.fixture
def colleague(db):
    return UserFactory(email="collegue@nyons.fr")


@pytest.fixture
def establishment(member, colleague):
    return EstablishmentFactory(
        name="COMMUNE DE NYONS",
        street_number="1",
        street_name="PLACE DE LA MAIRIE",
        postcode="26110",
        city="NYONS",
        users=[member, colleague],
    )


@pytest.fixture
def outsider(db):
    """An active member of another establishment."""
    user = UserFactory(email="agent@visan.fr")
    EstablishmentFactory(name="COMMUNE DE VISAN", postcode="84820", users=[user])
    return user


@pytest.fixture
def staff(db):
    return StaffFactory(first_name="Claire", last_name="Valide")


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


# The company register ----------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _offline_register(settings):
    """No test ever reaches the real register; each starts with an empty cache."""
    settings.COMPANY_REGISTER_URL = UNREACHABLE_URL
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def register_api(settings):
    register = FakeRegister()
    settings.COMPANY_REGISTER_URL = register.url
    yield register
    register.close()


# Redis ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def redis_process():
    """One Redis for the module; a test that stops it finds it started again by the next."""
    running = {"server": start_redis()}
    yield running
    running["server"].stop()


@pytest.fixture
def redis_server(settings, redis_process):
    """A real Redis, emptied, as the default cache and the sessions' (every worker's, in production)."""
    server = redis_process["server"]
    if server.process.poll() is not None:
        server = redis_process["server"] = start_redis(server.port)
    url = f"redis://127.0.0.1:{server.port}/0"
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    server.client = redis.Redis.from_url(url)
    server.client.flushall()  # each test starts from an empty Redis
    return server
