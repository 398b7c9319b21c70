"""No page of the demo site shows template syntax: a comment that did not close on its
line (`{# … #}` is one line only in Django) or a tag or variable that was not rendered.

The site is walked as a visitor, a member and staff, from the home page (and the member's
dashboard, and a few admin listings), following every link of each page, as a person
clicking through it would meet them.
"""

import html
import re
from collections import deque
from io import StringIO
from urllib.parse import urldefrag, urlsplit

import pytest
from django.core.management import call_command

from members.models import User

pytestmark = pytest.mark.django_db

TEMPLATE_SYNTAX = re.compile(r"\{[#%{]")
LINK = re.compile(r'href="([^"]+)"')
# Not pages: downloads, spreadsheets, logout; and Wagtail's own scripts' templates on /admin/.
SKIPPED = re.compile(r"/(documents|telecharger|export|deconnexion|logout)|\.(pdf|docx|xlsx|csv|zip)$|[?&]export=")
SCRIPTS = re.compile(r"<(script|template)\b.*?</\1>", re.S)
PER_ROLE = 150
ADMIN_PAGES = ["/admin/", "/admin/pages/", "/admin/snippets/", "/admin/documents/", "/admin/users/"]


@pytest.fixture
def demo_site(db):
    call_command("load_demo", "--force", "--skip-index", stdout=StringIO())


def walk(client, starts, *, admin=False):
    """Every page reached by links from `starts` (at most PER_ROLE): {url: template syntax found}."""
    seen, queue, found = set(starts), deque(starts), {}
    while queue and len(seen) <= PER_ROLE:
        url = queue.popleft()
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        body = response.content.decode()
        shown = SCRIPTS.sub("", body) if admin else body
        if match := TEMPLATE_SYNTAX.search(shown):
            found[url] = shown[max(0, match.start() - 80) : match.start() + 80]
        for href in LINK.findall(body):
            target = urldefrag(html.unescape(href))[0]
            parts = urlsplit(target)
            if parts.scheme or parts.netloc or not target.startswith("/") or SKIPPED.search(target):
                continue
            if target.startswith("/admin/") != admin or target in seen:
                continue
            seen.add(target)
            queue.append(target)
    return seen, found


def test_no_page_shows_template_syntax(client, demo_site):
    visited, found = walk(client, ["/"])
    assert len(visited) > 40, visited

    client.force_login(User.objects.get(email="adherent.demo@canut.org"))
    member_visited, member_found = walk(client, ["/compte/tableau-de-bord/", "/"])
    assert any(url.startswith("/compte/etablissements/") for url in member_visited)
    found |= member_found

    client.force_login(User.objects.get(email="editeur@canut.org"))
    _, admin_found = walk(client, ADMIN_PAGES, admin=True)
    found |= admin_found

    assert not found, "template syntax shown:\n" + "\n".join(f"{url}: {text!r}" for url, text in found.items())
