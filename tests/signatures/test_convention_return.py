"""The member returns the signed convention in the portal; staff countersign with the seal."""

import io

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from wagtail.models import ModelLogEntry

from home.models import SiteSettings
from signatures.models import SignedConvention
from signatures.verification import verify_pdf
from subscriptions import services as subscription_services
from subscriptions.models import SubscriptionStatus
from tests.factories.members import UserFactory

from .pki import blank_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def subscription(member, market, establishment):
    return subscription_services.subscription_request(
        user=member, market=market, establishment=establishment
    ).subscription


@pytest.fixture
def staff_address(home_page):
    settings = SiteSettings.for_site(home_page.get_site())
    settings.contact_email = "conventions@canut.org"
    settings.save()
    return settings.contact_email


@pytest.fixture
def seal(settings, pki, tmp_path):
    path = tmp_path / "cachet.p12"
    path.write_bytes(pki.seal.pkcs12(b"mot-de-passe"))
    settings.SIGNATURES_SEAL_PATH = str(path)
    settings.SIGNATURES_SEAL_PASSWORD = "mot-de-passe"
    return path


@pytest.fixture
def agent_client(db):
    """Staff in a browser of their own (the member keeps theirs)."""
    agent = Client()
    agent.force_login(UserFactory(email="equipe@canut.org", is_staff=True, is_superuser=True))
    return agent


def upload(data, name="convention signée.pdf"):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def return_convention(client, subscription, data):
    url = reverse("signatures:signed_convention", args=[subscription.pk])
    return client.post(url, {"file": upload(data)})


def test_upload_verifies_stores_privately_marks_received_and_tells_staff(
    member_client, member, subscription, qualified_pdf, trusted_list, staff_address, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = return_convention(member_client, subscription, qualified_pdf)
    assert response.status_code == 302
    subscription.refresh_from_db()
    assert subscription.status == SubscriptionStatus.RECEIVED and subscription.received_on is not None
    # The one record of the step "reçue", with who did it.
    entry = ModelLogEntry.objects.get(object_id=str(subscription.pk), action=subscription_services.RECEIVED_ACTION)
    assert entry.user == member
    signed = SignedConvention.objects.get(subscription=subscription)
    assert signed.verdict == "Signature valide, certificat qualifié" and signed.uploaded_by == member
    assert signed.original_name == "convention signée.pdf"
    assert signed.file.name.startswith("conventions-signees/") and "signée" not in signed.file.name
    with signed.file.open("rb") as handle:
        assert handle.read() == qualified_pdf
    [message] = [m for m in mail.outbox if m.to == [staff_address]]
    assert "Convention signée reçue" in message.subject
    assert "Signature valide, certificat qualifié" in message.body
    assert reverse("subscriptions_admin:inspect", args=[subscription.pk]) in message.body

    page = member_client.get(response["Location"]).content.decode()
    assert "Rapport de vérification" in page and "Marie Curie" in page
    assert "1. Identité du signataire" not in page  # an ordered list numbers the points
    detail = member_client.get(reverse("subscriptions:subscription_detail", args=[subscription.pk])).content.decode()
    assert "Convention signée déposée le" in detail and "Signature valide, certificat qualifié" in detail
    download = member_client.get(reverse("signatures:signed_convention_file", args=[subscription.pk]))
    assert b"".join(download.streaming_content) == qualified_pdf
    assert download["Cache-Control"] == "private, no-store"


def test_an_unsigned_scan_is_accepted_and_marked(member_client, subscription, trusted_list):
    assert return_convention(member_client, subscription, blank_pdf()).status_code == 302
    signed = SignedConvention.objects.get(subscription=subscription)
    assert signed.verdict == "Aucune signature électronique"
    subscription.refresh_from_db()
    assert subscription.status == SubscriptionStatus.RECEIVED


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"PK\x03\x04not a pdf", "n&#x27;est pas un PDF"),
        (b"%PDF-1.7\n1 0 obj <<", "endommagé ou illisible"),
    ],
)
def test_a_bad_file_is_refused_next_to_the_field(member_client, subscription, data, message):
    response = return_convention(member_client, subscription, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    subscription.refresh_from_db()
    assert subscription.status == SubscriptionStatus.SENT
    assert not SignedConvention.objects.exists()


def test_a_file_over_the_limit_is_refused_before_reading(member_client, subscription, settings):
    settings.SIGNATURES_MAX_BYTES = 1024
    response = return_convention(member_client, subscription, blank_pdf() + b"%" * 2048)
    assert "la limite est de" in response.content.decode()
    assert not SignedConvention.objects.exists()


def test_a_second_upload_changes_nothing(member_client, subscription, qualified_pdf, trusted_list):
    return_convention(member_client, subscription, qualified_pdf)
    first = SignedConvention.objects.get()
    response = return_convention(member_client, subscription, blank_pdf())
    assert response.status_code == 302
    assert SignedConvention.objects.get().pk == first.pk and SignedConvention.objects.get().verdict == first.verdict


def test_only_the_signatory_establishment_sees_or_returns_it(client, outsider, subscription, qualified_pdf):
    client.force_login(outsider)
    assert return_convention(client, subscription, qualified_pdf).status_code == 404
    assert client.get(reverse("signatures:signed_convention_file", args=[subscription.pk])).status_code == 404
    client.logout()
    response = client.get(reverse("signatures:signed_convention", args=[subscription.pk]))
    assert response.status_code == 302 and "connexion" in response["Location"] or "login" in response["Location"]
    assert not SignedConvention.objects.exists()


def test_staff_countersign_with_the_seal_and_both_signatures_verify(
    member_client, subscription, qualified_pdf, trusted_list, seal, anchors, django_capture_on_commit_callbacks
):
    return_convention(member_client, subscription, qualified_pdf)
    staff = UserFactory(email="equipe@canut.org", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(staff)
    inspect = client.get(reverse("subscriptions_admin:inspect", args=[subscription.pk])).content.decode()
    url = reverse("signatures_admin:countersign", args=[subscription.pk])
    assert url in inspect
    page = client.get(url).content.decode()
    assert "Signature valide, certificat qualifié" in page and "Identité du signataire" in page
    assert client.post(url, {}).status_code == 200  # the confirmation is required
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"confirm": "on"})
    assert response.status_code == 302
    subscription.refresh_from_db()
    assert subscription.status == SubscriptionStatus.FINALIZED
    with subscription.countersigned_convention.open("rb") as handle:
        countersigned = handle.read()
    report = verify_pdf(countersigned, anchors=anchors)
    assert [s["signer"] for s in report["signatures"]] == ["Marie Curie", "Cachet CANUT"]
    assert report["verdict"] == "2 signatures valides, certificats qualifiés"
    signed = SignedConvention.objects.get()
    assert signed.countersigned_by == staff and signed.countersigned_at is not None
    # The member is sent the finalized convention, and downloads it.
    assert any(
        m.attachments and m.attachments[0][0].endswith(".pdf") for m in mail.outbox if m.to == ["agent@nyons.fr"]
    )
    download = member_client.get(reverse("subscriptions:subscription_countersigned", args=[subscription.pk]))
    assert b"".join(download.streaming_content) == countersigned


def test_the_seal_page_says_why_it_is_closed(
    member_client, subscription, qualified_pdf, trusted_list, agent_client, settings
):
    client = agent_client
    url = reverse("signatures_admin:countersign", args=[subscription.pk])
    response = client.get(url, follow=True)
    assert "Aucune convention signée" in response.content.decode()
    return_convention(member_client, subscription, qualified_pdf)
    settings.SIGNATURES_SEAL_PATH = ""
    response = client.get(url, follow=True)
    assert "n&#x27;est pas configuré" in response.content.decode()


def test_a_wrong_seal_password_is_a_message_not_a_500(
    member_client, subscription, qualified_pdf, trusted_list, seal, settings, agent_client
):
    return_convention(member_client, subscription, qualified_pdf)
    settings.SIGNATURES_SEAL_PASSWORD = "faux"
    client = agent_client
    response = client.post(reverse("signatures_admin:countersign", args=[subscription.pk]), {"confirm": "on"})
    assert response.status_code == 200 and "ne s&#x27;ouvre pas" in response.content.decode()
    subscription.refresh_from_db()
    assert subscription.status == SubscriptionStatus.RECEIVED


def test_a_member_cannot_countersign(member_client, subscription, qualified_pdf, trusted_list, seal):
    return_convention(member_client, subscription, qualified_pdf)
    response = member_client.post(reverse("signatures_admin:countersign", args=[subscription.pk]), {"confirm": "on"})
    assert response.status_code in (302, 403)
    subscription.refresh_from_db()
    assert subscription.status == SubscriptionStatus.RECEIVED
    assert member_client.get(reverse("signatures_admin:file", args=[subscription.pk])).status_code in (302, 403)


def test_countersigned_pdf_reads_back(pki, seal):
    from pypdf import PdfReader

    from signatures.seal import apply_seal

    sealed = apply_seal(blank_pdf(pages=3))
    reader = PdfReader(io.BytesIO(sealed))
    assert len(reader.pages) == 3
    assert "/Annots" in reader.pages[2]  # the visible seal on the last page


def test_the_seal_is_timestamped_by_the_configured_server(pki, anchors, seal, settings):
    from signatures.seal import apply_seal
    from signatures.verification import verify_pdf as verify

    from .tsa import TimestampServer

    with TimestampServer(pki.timestamper()) as server:
        settings.SIGNATURES_TSA_URL = server.url
        sealed = apply_seal(blank_pdf())
    assert server.requests >= 1
    [signature] = verify(sealed, anchors=anchors)["signatures"]
    assert signature["signer"] == "Cachet CANUT" and signature["timestamped"]
    assert signature["verdict"] == "Signature valide, certificat qualifié"


def test_an_unreachable_timestamp_server_is_a_message(seal, settings):
    from signatures.seal import SealUnavailable, apply_seal
    from tests.servers import free_port

    settings.SIGNATURES_TSA_URL = f"http://127.0.0.1:{free_port()}/tsa"
    settings.SIGNATURES_TSA_TIMEOUT = 2
    with pytest.raises(SealUnavailable, match="horodatage"):
        apply_seal(blank_pdf())
