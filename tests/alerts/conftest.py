"""The alerts' tests: a real SMTP server and the real task worker (`manage.py db_worker`)."""

import email
import signal
from email import policy

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult
from wagtail.models import PageViewRestriction

from markets.access import Audience
from subscriptions.permissions import market_grant
from tests.factories.markets import MarketDocumentFactory, MarketPageFactory, piece
from tests.servers import SmtpServer, free_port


@pytest.fixture
def smtp(settings):
    server = SmtpServer(free_port())
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", server.port, 5
    settings.PORTAL_BASE_URL = "https://portail.canut.test"
    server.start()
    yield server
    server.stop()


def run_worker():
    """What `manage.py db_worker` does, until nothing is ready to run (signals given back to pytest)."""
    signals = [signal.SIGINT, signal.SIGTERM, signal.SIGQUIT]
    handlers = {number: signal.getsignal(number) for number in signals}
    try:
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    finally:
        for number, handler in handlers.items():
            signal.signal(number, handler)
    failed = DBTaskResult.objects.filter(status="FAILED")
    assert not failed.exists(), [(r.task_path, r.exception_class_path, r.traceback) for r in failed]


def messages(server):
    """The messages the SMTP server received, parsed: (recipients, message)."""
    return [
        (envelope.rcpt_tos, email.message_from_bytes(envelope.content, policy=policy.default))
        for envelope in server.messages
    ]


def header(message, name):
    return str(message[name]).strip()  # a folded long header starts with its fold


def subject(message):
    return header(message, "Subject")


def body(message):
    return message.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")


def publish(market):
    """What the editor's "Publier" does: a revision, published."""
    market.save_revision().publish()
    return type(market).objects.get(pk=market.pk)


@pytest.fixture
def subscribed(market_index, establishment, member, colleague):
    """A live market (already published once) the members' establishment subscribes to."""
    market = publish(MarketPageFactory(parent=market_index, title="Postes de travail", slug="postes"))
    market_grant(market=market, establishment=establishment)
    return market


def add_piece(market, title, kind="amendment", audience=Audience.SUBSCRIBERS):
    market = type(market).objects.get(pk=market.pk)
    document = MarketDocumentFactory(title=title)
    market.documents.append(piece(document, kind, audience))
    return market


def restrict(page):
    return PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.PASSWORD, password="x")
