"""The signed stop link: one click, logged out; a changed character and it stops nothing."""

import pytest
from django.urls import reverse
from django.utils import timezone

from alerts.models import AlertOptOut, SavedSearch, UsageKind
from alerts.stopping import SEARCHES, stop_path


@pytest.fixture
def search(member):
    return SavedSearch.objects.create(
        user=member, name="Licences", source="marches", params={"q": ["licences"]}, checked_until=timezone.now()
    )


def test_the_signed_link_stops_a_search_logged_out_after_one_click(client, search, member):
    path = stop_path(user_id=member.pk, kind=SEARCHES, search_id=search.pk)
    page = client.get(path)
    assert page.status_code == 200 and "la recherche « Licences »" in page.text
    search.refresh_from_db()
    assert not search.paused  # opening the link (or a mail scanner) stops nothing
    done = client.post(path)
    assert done.status_code == 200 and "C'est fait" in done.text
    search.refresh_from_db()
    assert search.paused
    assert client.post(path).status_code == 200  # a second click changes nothing


def test_the_one_click_post_of_mail_programs_works_without_csrf(search, member):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    path = stop_path(user_id=member.pk, kind=SEARCHES)
    response = client.post(path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    search.refresh_from_db()
    assert search.paused


def test_a_tampered_link_stops_nothing(client, search, member, outsider):
    path = stop_path(user_id=member.pk, kind=SEARCHES, search_id=search.pk)
    token = path.rstrip("/").rsplit("/", 1)[1]
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    for bad in (tampered, "abc", token.replace(":", "."), "x" * 3000):
        response = client.post(reverse("alerts:stop", args=[bad]))
        assert response.status_code == 400 and "n'est pas valide" in response.text
    search.refresh_from_db()
    assert not search.paused
    # Another user's token cannot name this member's search.
    other = stop_path(user_id=outsider.pk, kind=SEARCHES, search_id=search.pk)
    assert client.post(other).status_code == 404
    search.refresh_from_db()
    assert not search.paused


def test_the_link_of_an_alert_kind_turns_it_off_in_my_account(client, member):
    client.post(stop_path(user_id=member.pk, kind=UsageKind.END_DATES))
    assert list(AlertOptOut.objects.values_list("user", "kind")) == [(member.pk, UsageKind.END_DATES)]
    client.force_login(member)
    account = client.get(reverse("members:account"))
    assert 'value="fins"' in account.text and 'value="fins" checked' not in account.text.replace('id="id_kinds_1" ', "")


def test_the_link_of_a_deleted_account_stops_nothing_and_fails_cleanly(client, member):
    path = stop_path(user_id=member.pk, kind=UsageKind.PIECES)
    member.delete()
    assert client.post(path).status_code == 404
    assert not AlertOptOut.objects.exists()
