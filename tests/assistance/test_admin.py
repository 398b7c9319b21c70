"""Staff handle requests in the Wagtail admin: queue, filters, the request's page, figures."""

import datetime
import io

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from assistance import reports
from assistance.models import FaqResolution, RequestMessage, Severity, Status, SupportRequest
from tests.downloads import assert_private_download
from tests.factories.assistance import SubjectFactory, SupportRequestFactory, png_bytes, upload
from tests.factories.members import UserFactory


@pytest.fixture
def queue(db, registration_subject):
    other = SubjectFactory(name="Groupements")
    return [
        SupportRequestFactory(subject=registration_subject, severity=Severity.BLOCKING, contact_name="Paul Visiteur"),
        SupportRequestFactory(
            subject=other, severity=Severity.MINOR, status=Status.CLOSED, contact_name="Zoé Ancienne"
        ),
    ]


def test_the_queue_filters_and_searches(staff_client, queue):
    url = reverse("assistance_admin:index")
    html = staff_client.get(url, {"status": ["new", "in_progress", "waiting"]}).content.decode()
    assert "Paul Visiteur" in html and "Zoé Ancienne" not in html
    html = staff_client.get(url, {"severity": "minor"}).content.decode()
    assert "Zoé Ancienne" in html and "Paul Visiteur" not in html
    html = staff_client.get(url, {"q": queue[0].reference}).content.decode()
    assert "Paul Visiteur" in html and "Zoé Ancienne" not in html
    html = staff_client.get(url, {"age": "7"}).content.decode()
    assert "Paul Visiteur" not in html


def step(support_request, name):
    """Each thing staff do with a request posts to its own page (core.actions.ObjectActionView)."""
    return reverse(f"assistance_admin:{name}", args=[support_request.pk])


def test_members_cannot_reach_the_queue(member_client, queue):
    response = member_client.get(reverse("assistance_admin:index"))
    assert response.status_code in (302, 403)


def test_staff_reply_note_assign_and_resolve(staff_client, staff, queue, django_capture_on_commit_callbacks):
    support_request = queue[0]
    url = reverse("assistance_admin:inspect", args=[support_request.pk])
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(
            step(support_request, "note"),
            {"body": "Vérifier l'annuaire", "attachments": [upload("n.png", png_bytes())]},
        )
        staff_client.post(step(support_request, "assign"), {"assignee": staff.pk})
        staff_client.post(
            step(support_request, "reply"), {"body": "Quel est votre SIRET ?", "wait_for_requester": "on"}
        )
    support_request.refresh_from_db()
    assert support_request.status == Status.WAITING and support_request.assignee == staff
    assert support_request.first_response_at is not None
    page = staff_client.get(url).content.decode()
    assert "Vérifier l&#x27;annuaire" in page and "[Interne]" in page and "Marquer résolue" in page
    note_file = support_request.attachments.get(message__kind=RequestMessage.Kind.NOTE)
    note_download = staff_client.get(reverse("assistance_admin:attachment", args=[note_file.pk]))
    assert assert_private_download(note_download, "n.png")[:4] == b"\x89PNG"
    subjects = [email.subject for email in mail.outbox]
    assert len(subjects) == 2  # taken in charge, then the reply: never the note
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(step(support_request, "status"), {"status": "resolved", "comment": "Compte activé."})
    support_request.refresh_from_db()
    assert support_request.status == Status.RESOLVED and "Compte activé." in mail.outbox[-1].body


def test_an_empty_reply_is_explained_and_nothing_happens(staff_client, queue):
    response = staff_client.post(step(queue[0], "reply"), {"body": "  "})
    assert response.status_code == 200 and "Écrivez un message ou joignez un fichier." in response.content.decode()
    assert not queue[0].messages.exists()


def test_viewing_staff_cannot_act(client, queue):
    from django.contrib.auth.models import Group, Permission

    viewer = UserFactory(is_staff=True)
    group = Group.objects.create(name="Lecture assistance")
    group.permissions.add(
        Permission.objects.get(codename="access_admin"), Permission.objects.get(codename="view_supportrequest")
    )
    viewer.groups.add(group)
    client.force_login(viewer)
    url = reverse("assistance_admin:inspect", args=[queue[0].pk])
    assert client.get(url).status_code == 200
    assert client.post(step(queue[0], "reply"), {"body": "Non"}).status_code in (302, 403)  # Wagtail redirects
    assert not queue[0].messages.exists()


def test_dashboard_panel_counts_open_requests_by_subject_and_severity(staff_client, queue):
    html = staff_client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Assistance : 1 demande(s) ouverte(s)" in html
    table = reports.open_by_subject_and_severity()
    assert table.rows == [("Inscription et compte", [0, 0, 1, 0], 1)]


def test_monthly_figures_and_their_export(staff_client, registration_subject):
    now = timezone.now()
    created = now - datetime.timedelta(hours=30)
    for response_hours, resolve_hours in [(1, 10), (2, 20), (3, None), (10, 30)]:
        support_request = SupportRequestFactory(subject=registration_subject)
        SupportRequest.objects.filter(pk=support_request.pk).update(
            created_at=created,
            first_response_at=created + datetime.timedelta(hours=response_hours),
            resolved_at=created + datetime.timedelta(hours=resolve_hours) if resolve_hours else None,
        )
    FaqResolution.objects.create(subject=registration_subject)
    this_month = [m for m in reports.monthly_figures(now=now) if m.requests][0]
    assert (this_month.requests, this_month.faq_solved, this_month.faq_share) == (4, 1, 20.0)
    assert this_month.first_response_median == 2.5
    assert this_month.first_response_p90 == pytest.approx(7.9)
    assert this_month.resolution_median == 20 and this_month.resolution_p90 == pytest.approx(28)

    html = staff_client.get(reverse("assistance_report:index")).content.decode()
    assert "Indicateurs de l&#x27;assistance" in html
    response = staff_client.get(reverse("assistance_report:export"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][:4] == ("Mois", "Demandes", "Résolues par la FAQ", "Part résolue par la FAQ (%)")
    assert rows[-1][1:5] == (4, 1, 20, 2.5) or rows[-1][1:5] == (4, 1, 20.0, 2.5)


def test_the_queue_exports_to_xlsx(staff_client, queue):
    response = staff_client.get(reverse("assistance_admin:index") + "?export=xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = [row for row in sheet.values]
    assert values[0][0] == "Référence" and len(values) == 3


def test_percentile_interpolates_like_spreadsheets():
    assert reports.percentile([], 0.9) is None
    assert reports.percentile([5], 0.9) == 5
    assert reports.percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9) == pytest.approx(9.1)
