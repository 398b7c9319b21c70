"""The staff queue in the Wagtail admin."""

import pytest
from django.core import mail
from django.urls import reverse

from groupements.models import Groupement
from tests.downloads import assert_private_download
from tests.factories.groupements import GroupementFactory
from tests.factories.members import EstablishmentFactory, UserFactory

INDEX = reverse("groupements_admin:index")


@pytest.fixture
def pending(member, parent):
    return GroupementFactory(parent=parent, created_by=member, name="CANUT_MAT_NEUF2")


def decide_url(groupement):
    return reverse("groupements_admin:decide", args=[groupement.pk])


def test_list_filters_by_status_and_searches(staff_client, pending):
    other = GroupementFactory(
        parent=EstablishmentFactory(users=[UserFactory()]), name="GPT_VALIDE", status=Groupement.Status.VALIDATED
    )
    response = staff_client.get(INDEX)
    assert response.status_code == 200
    page = response.content.decode()
    assert "CANUT_MAT_NEUF2" in page and "GPT_VALIDE" in page and "En attente de validation" in page
    assert reverse("groupements_admin:add") not in page  # groupements come from members only

    page = staff_client.get(INDEX, {"status": "pending"}).content.decode()
    assert "CANUT_MAT_NEUF2" in page and "GPT_VALIDE" not in page

    child_siret = pending.members.first().establishment.siret
    results = staff_client.get(INDEX, {"q": child_siret}).context["object_list"]
    assert list(results) == [pending] and results[0].member_count == 3
    assert list(staff_client.get(INDEX, {"q": "valide"}).context["object_list"]) == [other]


def test_export_lists_the_queue(staff_client, pending):
    response = staff_client.get(INDEX, {"export": "csv"})
    content = b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()
    assert "CANUT_MAT_NEUF2" in content


def test_inspect_shows_the_rows_and_the_decision_link(staff_client, pending):
    page = staff_client.get(reverse("groupements_admin:inspect", args=[pending.pk])).content.decode()
    for row in pending.members.select_related("establishment"):
        assert row.establishment.siret in page and row.contact_email in page
    assert decide_url(pending) in page
    assert reverse("groupements_admin:original", args=[pending.pk]) in page


def test_staff_download_the_file_sent(staff_client, pending):
    pending.spreadsheet_name = "adhérents du groupement.xlsx"  # as the member named it
    pending.save(update_fields=["spreadsheet_name"])
    response = staff_client.get(reverse("groupements_admin:original", args=[pending.pk]))
    body = assert_private_download(response, "adhérents du groupement.xlsx")
    pending.spreadsheet.open("rb")
    assert body == pending.spreadsheet.read()


def test_approve(staff_client, staff, pending, member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(decide_url(pending), {"decision": "approve", "reason": ""})
    assert response.status_code == 302 and response["Location"] == INDEX
    pending.refresh_from_db()
    assert (pending.status, pending.decided_by) == (Groupement.Status.VALIDATED, staff) and pending.decided_at
    assert [m.to for m in mail.outbox] == [[member.email]]
    assert "validé" in mail.outbox[0].subject
    # Decided: no more decision link, and the page refuses a second decision.
    assert (
        decide_url(pending)
        not in staff_client.get(reverse("groupements_admin:inspect", args=[pending.pk])).content.decode()
    )
    response = staff_client.post(decide_url(pending), {"decision": "reject", "reason": "Non"}, follow=True)
    assert "déjà été traitée" in response.content.decode()


def test_reject_needs_a_reason(staff_client, staff, pending, django_capture_on_commit_callbacks):
    response = staff_client.post(decide_url(pending), {"decision": "reject", "reason": ""})
    assert response.status_code == 200 and "Indiquez le motif du refus" in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == Groupement.Status.PENDING

    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(decide_url(pending), {"decision": "reject", "reason": "Le SIRET ligne 3 est fermé."})
    pending.refresh_from_db()
    assert (pending.status, pending.decided_by, pending.decision_reason) == (
        Groupement.Status.REJECTED,
        staff,
        "Le SIRET ligne 3 est fermé.",
    )
    assert "Le SIRET ligne 3 est fermé." in mail.outbox[0].body


def test_members_have_no_access(member_client, pending):
    for url in (INDEX, decide_url(pending), reverse("groupements_admin:original", args=[pending.pk])):
        assert member_client.get(url).status_code in (302, 403)
    assert member_client.post(decide_url(pending), {"decision": "approve"}).status_code in (302, 403)
    pending.refresh_from_db()
    assert pending.status == Groupement.Status.PENDING


def test_no_add_or_delete_even_for_superusers(staff_client, pending):
    # Wagtail answers a refused admin page with a redirect to the dashboard.
    for url in (reverse("groupements_admin:add"), reverse("groupements_admin:delete", args=[pending.pk])):
        response = staff_client.get(url)
        assert response.status_code == 302 and response["Location"] == "/admin/"
    assert staff_client.post(reverse("groupements_admin:delete", args=[pending.pk])).status_code == 302
    assert Groupement.objects.filter(pk=pending.pk).exists()


def test_admin_dashboard_counts_pending_groupements(staff_client, pending):
    GroupementFactory(parent=pending.parent, status=Groupement.Status.VALIDATED)
    page = staff_client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Groupements à valider" in page
    assert f'href="{INDEX}?status=pending"><strong class="review-queues__count">1</strong>' in page
