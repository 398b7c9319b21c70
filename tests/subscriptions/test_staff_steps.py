"""Each staff step on a subscription, taken from its admin page, is recorded one way
(core.actions.record_step): who and when in Wagtail's history, shown on the history tab."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from subscriptions import services
from tests.factories.members import UserFactory
from tests.factories.subscriptions import pdf_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent():
    return UserFactory(
        email="equipe@canut.org", first_name="Claire", last_name="Agent", is_staff=True, is_superuser=True
    )


@pytest.fixture
def staff_client(client, agent):
    client.force_login(agent)
    return client


@pytest.fixture
def subscription(member, market, establishment):
    return services.subscription_request(user=member, market=market, establishment=establishment).subscription


def step_recorded(subscription, action, agent, staff_client, label):
    entry = ModelLogEntry.objects.get(object_id=str(subscription.pk), action=action)
    assert entry.user == agent
    assert abs((timezone.now() - entry.timestamp).total_seconds()) < 60
    history = staff_client.get(reverse("subscriptions_admin:history", args=[subscription.pk])).content.decode()
    assert label in history and "Claire Agent" in history


def test_marking_received_records_who_and_when(staff_client, subscription, agent):
    today = timezone.localdate().isoformat()
    response = staff_client.post(
        reverse("subscriptions_admin:received", args=[subscription.pk]), {"received_on": today}
    )
    assert response.status_code == 302
    step_recorded(subscription, services.RECEIVED_ACTION, agent, staff_client, "Convention marquée reçue")


def test_finalizing_records_who_and_when(staff_client, subscription, agent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("subscriptions_admin:finalize", args=[subscription.pk]),
            {
                "countersigned": SimpleUploadedFile("signee.pdf", pdf_bytes()),
                "finalized_on": timezone.localdate().isoformat(),
            },
        )
    assert response.status_code == 302
    step_recorded(subscription, services.FINALIZED_ACTION, agent, staff_client, "Convention contresignée déposée")


def test_cancelling_records_who_and_when(staff_client, subscription, agent):
    url = reverse("subscriptions_admin:cancel", args=[subscription.pk])
    assert staff_client.post(url, {"cancel_reason": "Doublon"}).status_code == 302
    step_recorded(subscription, services.CANCELLED_ACTION, agent, staff_client, "Souscription annulée")


def test_a_refused_step_records_nothing(staff_client, subscription):
    tomorrow = (timezone.localdate() + timezone.timedelta(days=1)).isoformat()
    response = staff_client.post(
        reverse("subscriptions_admin:received", args=[subscription.pk]), {"received_on": tomorrow}
    )
    assert response.status_code == 200 and "La date ne peut pas être dans le futur." in response.content.decode()
    assert not ModelLogEntry.objects.filter(action=services.RECEIVED_ACTION).exists()


def test_the_staff_page_links_the_conventions_sent_and_countersigned(staff_client, subscription):
    html = staff_client.get(reverse("subscriptions_admin:inspect", args=[subscription.pk])).content.decode()
    link = reverse("subscriptions_admin:convention", args=[subscription.pk])
    assert f'href="{link}"' in html
    response = staff_client.get(link)
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff" and "attachment" in response["Content-Disposition"]
