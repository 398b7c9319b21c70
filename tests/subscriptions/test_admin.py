import datetime
import io

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from markets.access import PIECES_PERMISSION
from subscriptions import services
from subscriptions.models import SubscriptionStatus
from tests.factories.members import EstablishmentFactory, UserFactory
from tests.factories.subscriptions import docx_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def subscription(member, market, establishment):
    return services.subscription_request(user=member, market=market, establishment=establishment).subscription


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(email="equipe@canut.org", is_staff=True, is_superuser=True))
    return client


def url(name, subscription=None):
    return reverse(f"subscriptions_admin:{name}", args=[subscription.pk] if subscription else [])


def test_list_filters_and_search(staff_client, subscription, market, market_index):
    from tests.factories.markets import MarketPageFactory
    from tests.factories.subscriptions import SubscriptionFactory

    other = SubscriptionFactory(
        market=MarketPageFactory(parent=market_index, title="Virtualisation"),
        establishment=EstablishmentFactory(name="COMMUNE DE VISAN"),
        sent_on=timezone.localdate() - datetime.timedelta(days=10),
        received_on=timezone.localdate(),
    )
    html = staff_client.get(url("index")).content.decode()
    assert "Logiciels d" in html and "Virtualisation" in html
    assert "Convention envoyée" in html and "Convention reçue" in html

    def listed(**params):
        response = staff_client.get(url("index"), params)
        assert response.status_code == 200
        return {s.establishment.name for s in response.context["object_list"]}

    assert listed() == {"COMMUNE DE NYONS", "COMMUNE DE VISAN"}
    assert listed(status="received") == {"COMMUNE DE VISAN"}
    assert listed(status="sent") == {"COMMUNE DE NYONS"}
    assert listed(status="finalized") == set()
    assert listed(market=market.pk) == {"COMMUNE DE NYONS"}
    assert listed(establishment=other.establishment_id) == {"COMMUNE DE VISAN"}
    today = timezone.localdate().isoformat()
    assert listed(sent_on_from=today, sent_on_to=today) == {"COMMUNE DE NYONS"}
    assert listed(received_on_from=today) == {"COMMUNE DE VISAN"}
    assert listed(q="visan") == {"COMMUNE DE VISAN"}


def test_spreadsheet_export(staff_client, subscription, member):
    response = staff_client.get(url("index"), {"export": "xlsx"})
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True))
    assert rows[0][:4] == ("Marché", "Établissement", "SIRET", "Statut")
    assert rows[1][:4] == (
        "Logiciels d'occasion",
        "COMMUNE DE NYONS - 26110",
        subscription.establishment.siret,
        "Convention envoyée",
    )
    assert str(member) in rows[1]


def test_mark_received(staff_client, subscription):
    today = timezone.localdate()
    assert "Marquer la convention reçue" in staff_client.get(url("inspect", subscription)).content.decode()
    response = staff_client.post(url("received", subscription), {"received_on": today.strftime("%d/%m/%Y")})
    assert response.status_code == 302
    subscription.refresh_from_db()
    assert subscription.status == SubscriptionStatus.RECEIVED and subscription.received_on == today
    response = staff_client.post(url("received", subscription), {"received_on": "01/01/2000"})
    assert "précéder" in response.content.decode()


def test_upload_countersigned_finalizes_and_emails(
    staff_client, subscription, member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            url("finalize", subscription),
            {
                "countersigned": SimpleUploadedFile("signee.docx", docx_bytes("Contresignée")),
                "finalized_on": timezone.localdate().strftime("%d/%m/%Y"),
            },
        )
    assert response.status_code == 302
    subscription.refresh_from_db()
    assert subscription.status == SubscriptionStatus.FINALIZED
    assert subscription.countersigned_convention.name.endswith(".docx")
    (message,) = mail.outbox
    assert message.to == [member.email]
    inspect = staff_client.get(url("inspect", subscription)).content.decode()
    assert url("countersigned", subscription) in inspect and "Déposer la convention contresignée" not in inspect
    response = staff_client.get(url("countersigned", subscription))
    assert b"".join(response.streaming_content).startswith(b"PK")


@pytest.mark.parametrize(
    ("upload", "error"),
    [
        (SimpleUploadedFile("signee.pdf", b"<html>pas un pdf</html>"), "n&#x27;est pas un PDF"),
        (SimpleUploadedFile("signee.docx", b"%PDF-1.4 renamed"), "n&#x27;est pas un document Word"),
        (SimpleUploadedFile("signee.exe", b"MZ"), "format PDF (.pdf) ou Word (.docx)"),
        (SimpleUploadedFile("signee.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024 + 1)), "la limite est de 10 Mo"),
    ],
)
def test_upload_is_checked(staff_client, subscription, upload, error):
    response = staff_client.post(
        url("finalize", subscription),
        {"countersigned": upload, "finalized_on": timezone.localdate().strftime("%d/%m/%Y")},
    )
    assert response.status_code == 200
    assert error in response.content.decode()
    subscription.refresh_from_db()
    assert subscription.status == SubscriptionStatus.SENT and not subscription.countersigned_convention


def test_cancel_with_reason(staff_client, subscription, member, market):
    response = staff_client.post(url("cancel", subscription), {"cancel_reason": ""})
    assert response.status_code == 200
    response = staff_client.post(url("cancel", subscription), {"cancel_reason": "Demande de l'établissement"})
    assert response.status_code == 302
    subscription.refresh_from_db()
    assert subscription.status == SubscriptionStatus.CANCELLED
    assert not member.has_perm(PIECES_PERMISSION, market)
    # No further step on a cancelled subscription.
    assert staff_client.get(url("received", subscription)).status_code == 302
    assert "Annuler la souscription" not in staff_client.get(url("inspect", subscription)).content.decode()


def test_no_generic_add_edit_delete(staff_client, subscription):
    assert staff_client.get(url("add")).status_code in (302, 403)
    assert staff_client.get(url("edit", subscription)).status_code in (302, 403)
    assert staff_client.get(url("delete", subscription)).status_code in (302, 403)


def test_view_only_staff_can_list_but_not_act(client, subscription):
    group = Group.objects.create(name="Lecture")
    group.permissions.add(
        Permission.objects.get(codename="access_admin"), Permission.objects.get(codename="view_subscription")
    )
    reader = UserFactory(is_staff=True)
    reader.groups.add(group)
    client.force_login(reader)
    assert client.get(url("index")).status_code == 200
    assert "Marquer la convention reçue" not in client.get(url("inspect", subscription)).content.decode()
    assert client.get(url("received", subscription)).status_code in (302, 403)
    response = client.post(url("cancel", subscription), {"cancel_reason": "Essai"})
    assert response.status_code in (302, 403)
    subscription.refresh_from_db()
    assert subscription.is_live


def test_members_cannot_reach_the_back_office(member_client, subscription):
    for name in ("index", "received", "finalize", "cancel", "convention"):
        response = member_client.get(url(name, None if name == "index" else subscription))
        assert response.status_code in (302, 403)
        assert b"PK" not in response.content


def test_a_market_with_subscriptions_cannot_be_deleted(staff_client, subscription, market):
    response = staff_client.get(reverse("wagtailadmin_pages:delete", args=[market.pk]))
    assert response.status_code == 302 and response.url == reverse("wagtailadmin_pages:edit", args=[market.pk])
    response = staff_client.post(reverse("wagtailadmin_pages:delete", args=[market.pk]))
    assert response.status_code == 302
    assert type(market).objects.filter(pk=market.pk).exists()
