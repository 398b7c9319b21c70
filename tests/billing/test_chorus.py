"""Chorus Pro delivery against our local stand-in speaking PISTE's and Chorus Pro's
documented shapes: the file deposited is exactly the one issued, a 503 is tried once more,
a timeout and a refusal are recorded, statuses are read back and shown."""

import base64
import datetime
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from billing import chorus, services
from billing.models import ChorusStatus, Invoice, InvoiceKind
from billing.pdf import invoice_pdf
from billing.tasks import chorus_deposit, chorus_refresh
from tests.billing.chorus_standin import ChorusStandIn
from tests.factories.billing import finalized_subscription
from tests.factories.members import StaffFactory

DEPOSIT = "/cpro/factures/v1/deposer/flux"


@pytest.fixture
def standin(settings):
    server = ChorusStandIn()
    settings.CHORUS_PRO = server.settings()
    yield server
    server.close()


def issue(markets, commune):
    finalized_subscription(market=markets[0], establishment=commune, finalized_on=datetime.date(2026, 5, 20))
    [invoice] = services.invoices_issue(kind=InvoiceKind.FIRST, today=datetime.date(2026, 6, 1))
    invoice.refresh_from_db()
    return invoice


def test_off_when_not_configured(schedule, markets, commune, settings):
    settings.CHORUS_PRO = {**settings.CHORUS_PRO, "client_id": ""}
    assert not chorus.configured()
    invoice = issue(markets, commune)
    assert invoice.chorus_status == "" and invoice.chorus_flow_number == ""


def test_an_issued_invoice_is_deposited_exactly_as_issued(
    schedule, markets, commune, standin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invoice = issue(markets, commune)
    invoice.refresh_from_db()
    assert invoice.chorus_status == ChorusStatus.DEPOSITED and invoice.chorus_flow_number.startswith("CPP")
    [(filename, content, syntax)] = standin.deposits
    assert (filename, syntax) == (invoice.pdf_filename, "IN_DP_E2_CII_FACTURX")
    # Rebuilt from frozen data: the same pages and XML (the metadata's dates say when it was built).
    assert undated(content) == undated(invoice_pdf(invoice))
    token, deposit = standin.requests
    assert token[0] == "/api/oauth/token"
    assert deposit[1]["cpro-account"] == base64.b64encode(b"TECH_1@cpro:p4ss").decode()
    # Queued again (a second worker, a replay): nothing is deposited twice.
    assert chorus_deposit.call(invoice_id=invoice.pk) == "done"
    assert len(standin.deposits) == 1


def test_a_503_is_tried_once_more_then_deposited(schedule, markets, commune, standin):
    invoice = issue(markets, commune)  # no commit callbacks here: deposited by hand below
    standin.fail_next.append((DEPOSIT, 503))
    assert chorus_deposit.call(invoice_id=invoice.pk) == "deposited"
    assert [path for path, _, _ in standin.requests].count(DEPOSIT) == 2
    assert len(standin.deposits) == 1


def test_a_timeout_twice_is_recorded_and_left_for_a_later_attempt(schedule, markets, commune, standin):
    invoice = issue(markets, commune)
    standin.fail_next += [(DEPOSIT, "timeout"), (DEPOSIT, "timeout")]
    # The immediate backend cannot wait: the deposit is marked impossible with its reason.
    assert chorus_deposit.call(invoice_id=invoice.pk) == "failed"
    invoice.refresh_from_db()
    assert invoice.chorus_status == ChorusStatus.FAILED and "injoignable" in invoice.chorus_reason
    assert invoice.chorus_attempts == 1 and standin.deposits == []


def test_a_refused_technical_account_is_not_retried(schedule, markets, commune, standin, settings):
    settings.CHORUS_PRO = {**settings.CHORUS_PRO, "password": "wrong"}
    invoice = issue(markets, commune)
    assert chorus_deposit.call(invoice_id=invoice.pk) == "failed"
    invoice.refresh_from_db()
    assert "compte technique" in invoice.chorus_reason
    assert [path for path, _, _ in standin.requests].count(DEPOSIT) == 1


def test_statuses_are_read_back_and_shown_to_member_and_staff(schedule, markets, commune, standin, client, member):
    invoice = issue(markets, commune)
    chorus_deposit.call(invoice_id=invoice.pk)
    invoice.refresh_from_db()
    standin.flows[invoice.chorus_flow_number] = ("IN_INTEGRE", [])
    standin.invoices[invoice.number] = (4242, "MISE_A_DISPOSITION", "")
    assert chorus_refresh.call() == 1
    invoice.refresh_from_db()
    assert (invoice.chorus_status, invoice.chorus_invoice_id) == (ChorusStatus.AVAILABLE, "4242")

    standin.invoices[invoice.number] = (4242, "REJETEE", "Code service SERV-FIN-01 inconnu")
    chorus_refresh.call()
    invoice.refresh_from_db()
    assert invoice.chorus_status == ChorusStatus.REJECTED
    assert invoice.chorus_reason == "Code service SERV-FIN-01 inconnu"
    client.force_login(member)
    content = client.get(reverse("billing:invoices")).content.decode()
    assert "Rejetée par Chorus Pro" in content and "Code service SERV-FIN-01 inconnu" in content
    client.force_login(StaffFactory())
    staff_page = client.get(reverse("billing_invoices:index")).content.decode()
    assert "Rejetée par Chorus Pro" in staff_page


def test_a_flow_rejected_at_integration_gives_its_errors(schedule, markets, commune, standin):
    invoice = issue(markets, commune)
    chorus_deposit.call(invoice_id=invoice.pk)
    invoice.refresh_from_db()
    standin.flows[invoice.chorus_flow_number] = ("IN_REJETE", ["SIRET destinataire inconnu"])
    chorus_refresh.call()
    assert Invoice.objects.get(pk=invoice.pk).chorus_reason == "SIRET destinataire inconnu"


def test_paid_on_chorus(schedule, markets, commune, standin):
    invoice = issue(markets, commune)
    chorus_deposit.call(invoice_id=invoice.pk)
    invoice.refresh_from_db()
    standin.flows[invoice.chorus_flow_number] = ("IN_INTEGRE", [])
    standin.invoices[invoice.number] = (7, "MISE_EN_PAIEMENT", "")
    chorus_refresh.call()
    assert Invoice.objects.get(pk=invoice.pk).chorus_status == ChorusStatus.PAID


def test_staff_deposit_again_a_failed_invoice(
    schedule, markets, commune, standin, client, django_capture_on_commit_callbacks
):
    invoice = issue(markets, commune)
    standin.fail_next += [(DEPOSIT, 503), (DEPOSIT, 503)]
    assert chorus_deposit.call(invoice_id=invoice.pk) == "failed"
    client.force_login(StaffFactory())
    inspect = client.get(reverse("billing_invoices:inspect", args=[invoice.pk])).content.decode()
    url = reverse("billing_invoices:chorus_retry", args=[invoice.pk])
    assert url in inspect
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url).status_code == 302
    invoice.refresh_from_db()
    assert invoice.chorus_status == ChorusStatus.DEPOSITED and len(standin.deposits) == 1
    assert client.post(url).status_code == 200  # deposited now: refused with a message, not a 500


def undated(pdf: bytes):
    """What the file carries but the generation time the factur-x library stamps in its
    metadata: each page's drawing and the attached Factur-X XML."""
    reader = PdfReader(io.BytesIO(pdf))
    return [page.get_contents().get_data() for page in reader.pages], reader.attachments
