"""Every admin listing that exports goes through the safe writer: a value typed "=1+1"
comes back as text, in the .xlsx (a string cell, not a formula) and in the .csv (quoted),
with the private-download headers. The walk covers every registered viewset with an export,
so a new one is checked without being named here."""

import csv
import io

import pytest
from django.urls import NoReverseMatch, reverse
from openpyxl import load_workbook
from wagtail.admin.viewsets import viewsets

from tests.downloads import assert_private_download
from tests.factories.members import UserFactory

pytestmark = pytest.mark.django_db

FORMULA = "=1+1"


def listing_url(viewset):
    for name in ("index", "list"):  # a ModelViewSet's listing, a snippet's
        try:
            return reverse(viewset.get_url_name(name))
        except NoReverseMatch:
            continue
    return None


# Exports of numbers and dates only: nothing typed can hold a formula.
NO_TYPED_TEXT = {"Campaign"}


def exporting_viewsets():
    # Wagtail's default is a sentinel (UNDEFINED): only a list names exported columns.
    return [
        v
        for v in viewsets.viewsets
        if isinstance(getattr(v, "list_export", None), list | tuple)
        and v.list_export
        and listing_url(v)
        and v.model.__name__ not in NO_TYPED_TEXT
    ]


def seed(model, market):
    """A row of `model` with a field typed "=1+1" that its export shows, built as the app does."""
    import datetime

    from billing import services as billing_services
    from core.models import EmailFailure
    from tests.factories import assistance, directory, groupements, markets, members
    from tests.factories.billing import fee_schedule, finalized_subscription
    from tests.factories.holders import holder_account
    from tests.factories.subscriptions import SubscriptionFactory

    def invoice():
        fee_schedule(2026)
        establishment = members.EstablishmentFactory(name=FORMULA)
        finalized_subscription(market=market, establishment=establishment, finalized_on=datetime.date(2026, 2, 20))
        billing_services.invoices_issue(kind="first", today=datetime.date(2026, 3, 2))

    def report():
        from holders.models import Campaign, Report

        campaign = Campaign.objects.create(year=2026, half=1, deadline=datetime.date(2026, 7, 31))
        Report.objects.create(campaign=campaign, market=market, holder=markets.HolderFactory(name=FORMULA))

    builders = {
        "Holder": lambda: markets.HolderFactory(name=FORMULA),
        "User": lambda: members.UserFactory(function=FORMULA),
        "Establishment": lambda: members.EstablishmentFactory(name=FORMULA),
        "PendingChange": lambda: members.PendingChangeFactory(
            kind="establishment",
            establishment=members.EstablishmentFactory(name=FORMULA),
            data={"name": FORMULA},
            previous={"name": "COMMUNE"},
        ),
        "DirectoryEntry": lambda: directory.directory_entries(
            {"siret": directory.valid_siret(7), "siren": directory.valid_siren(7), "name": FORMULA}
        ),
        "Groupement": lambda: groupements.GroupementFactory(name=FORMULA),
        "Subscription": lambda: SubscriptionFactory(market=market, cancel_reason=FORMULA),
        "SupportRequest": lambda: assistance.SupportRequestFactory(contact_name=FORMULA),
        "Invoice": invoice,
        "HolderContact": lambda: holder_account(markets.HolderFactory(name=FORMULA)),
        "Report": report,
        "EmailFailure": lambda: EmailFailure.objects.create(
            recipients="a@b.fr", subject=FORMULA, template="t", attempts=3, reason=FORMULA
        ),
    }
    builders[model.__name__]()


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_every_export_is_listed():
    names = {type(viewset).__name__ for viewset in exporting_viewsets()}
    assert {"HolderViewSet", "SubscriptionViewSet", "InvoiceViewSet", "SupportRequestViewSet"} <= names


@pytest.mark.parametrize("viewset", exporting_viewsets(), ids=lambda v: type(v).__name__)
def test_a_formula_typed_in_a_field_comes_back_as_text(staff_client, viewset, market_index):
    from tests.factories.markets import MarketPageFactory

    seed(viewset.model, MarketPageFactory(parent=market_index, title="Logiciels"))
    url = listing_url(viewset)

    response = staff_client.get(url, {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(assert_private_download(response, None))).active
    cells = [c for row in sheet.iter_rows(min_row=2) for c in row if str(c.value or "").startswith(FORMULA)]
    assert cells, f"{type(viewset).__name__}: the seeded value is not in the export"
    assert all(cell.data_type == "s" for cell in cells)  # a string, never a formula

    response = staff_client.get(url, {"export": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    values = [value for row in csv.reader(io.StringIO(text)) for value in row]
    assert any(value.startswith("'" + FORMULA) for value in values)
    assert not any(value.startswith(FORMULA) for value in values)
