"""The one email path: template pair, links from PORTAL_BASE_URL, Reply-To, attachments."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.core.files.base import ContentFile

from core.emails import email_send, render_text
from core.storage import private_storage
from home.models import SiteSettings

pytestmark = pytest.mark.django_db


def test_an_email_waits_for_the_commit_and_reads_the_site_settings(
    home_page, settings, django_capture_on_commit_callbacks
):
    settings.PORTAL_BASE_URL = "https://portail.canut.example/"
    site_settings = SiteSettings.for_site(home_page.get_site())
    site_settings.contact_email = "support@canut.example"
    site_settings.save()
    with django_capture_on_commit_callbacks() as callbacks:
        email_send(
            to=["anne@nyons.fr", "", "anne@nyons.fr"],
            template="members/emails/account_approved",
            context={"first_name": "Anne", "login_path": "/compte/connexion/"},
        )
        assert mail.outbox == []  # nothing leaves before the transaction commits
    for callback in callbacks:
        callback()
    [message] = mail.outbox
    assert message.to == ["anne@nyons.fr"] and message.reply_to == ["support@canut.example"]
    assert message.subject == "Votre compte CANUT est activé"
    assert "Bonjour Anne" in message.body and "https://portail.canut.example/compte/connexion/" in message.body


def test_subjects_are_one_line_and_not_escaped(home_page, django_capture_on_commit_callbacks):
    context = {
        "groupement": {"name": "L'AGGLO\nDES ÉCOLES", "parent": {"name": "CANUT"}, "market": None},
        "validated": True,
        "list_path": "/compte/groupements/",
    }
    with django_capture_on_commit_callbacks(execute=True):
        email_send(to=["a@nyons.fr"], template="groupements/emails/decision", context=context)
    assert mail.outbox[0].subject == "Votre groupement « L'AGGLO DES ÉCOLES » est validé"


def test_attachments_come_from_private_storage(home_page, django_capture_on_commit_callbacks):
    name = private_storage().save("conventions/test/convention.pdf", ContentFile(b"%PDF-1.4 test"))
    context = {"market": {"title": "Logiciels"}, "establishment": {"name": "COMMUNE DE NYONS"}}
    with django_capture_on_commit_callbacks(execute=True):
        email_send(
            to=["a@nyons.fr"], template="subscriptions/emails/convention_sent", context=context, attachments=[name]
        )
    [(filename, content, mimetype)] = mail.outbox[0].attachments
    assert (filename, content, mimetype) == ("convention.pdf", b"%PDF-1.4 test", "application/pdf")


def test_no_recipient_sends_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email_send(to=["", None], template="members/emails/account_approved", context={})
    assert mail.outbox == []


class Quoted(str):
    """Any value a template asks for: text with an apostrophe and HTML's special characters."""

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return self

    def __getitem__(self, key):
        return self


def email_templates():
    root = settings.BASE_DIR / "templates"
    return sorted(str(path.relative_to(root))[: -len(".txt")] for path in root.glob("*/emails/*.txt"))


@pytest.mark.parametrize("name", email_templates())
def test_every_email_template_renders_text_as_typed(name, home_page):
    """An email is plain text: "PLAN D'ACTION & <SUIVI>" is not HTML-escaped anywhere."""
    source = (settings.BASE_DIR / "templates" / f"{name}.txt").read_text()
    tags = " ".join(re.sub(r"'[^']*'", "", tag) for tag in re.findall(r"{[{%](.*?)[}%]}", source))
    names = set(re.findall(r"\b([a-z_]+)\b", tags)) - {"if", "else", "endif", "for", "in", "autoescape", "off", "url"}
    context = {variable: Quoted("PLAN D'ACTION & <SUIVI>") for variable in names}
    text = render_text(f"{name}.txt", context)
    assert "&#x27;" not in text and "&amp;" not in text and "&lt;" not in text


def test_a_subject_keeps_its_apostrophe(home_page, django_capture_on_commit_callbacks):
    context = {"establishment": "COMMUNE D'EYGUIANS", "objection_path": "/x/"}
    with django_capture_on_commit_callbacks(execute=True):
        email_send(to=["a@nyons.fr"], template="members/emails/join_requested", context=context)
    assert mail.outbox[0].subject == "Demande de rattachement à COMMUNE D'EYGUIANS"
