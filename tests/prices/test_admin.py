"""Editors import a price piece from the admin: mapping, errors or difference, apply."""

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from prices.models import ColumnMapping, ImportStatus, PriceImport, PriceLine
from tests.prices.conftest import ROWS, xlsx

pytestmark = pytest.mark.django_db

REVISED = [
    ["Adobe", "Acrobat Pro — abonnement 1 an", "Création et PDF", "13 %", "263,88"],
    *ROWS[1:3],
    ["Nitro", "Nitro PDF Pro", "Création et PDF", "18 %", "179"],
]


def upload(client, market_piece, content=None, name="catalogue.xlsx", day="2025-01-01", capture=None):
    """Post the upload; with `capture`, the check task it queues runs too."""
    data = {"piece": market_piece.pk, "applies_from": day}
    if content is not None:
        data["file"] = SimpleUploadedFile(name, content)
    if capture is None:
        return client.post("/admin/prix/", data)
    with capture(execute=True):
        return client.post("/admin/prix/", data)


def check(client, price_import, columns, capture):
    with capture(execute=True):
        return client.post(f"/admin/prix/{price_import.pk}/", {**columns, "check": "1"})


def test_editor_imports_then_revises_a_catalogue(client, staff, catalogue, django_capture_on_commit_callbacks):
    market, market_piece = catalogue
    client.force_login(staff)
    assert client.get("/admin/prix/").status_code == 200
    response = upload(client, market_piece, capture=django_capture_on_commit_callbacks)  # the piece's own file
    first = PriceImport.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/admin/prix/{first.pk}/"
    assert first.columns["discount"] == "Remise minimale sur prix public"
    page = client.get(f"/admin/prix/{first.pk}/").content.decode()
    assert 'value="Remise minimale sur prix public" selected' in page
    check(client, first, first.columns, django_capture_on_commit_callbacks)
    first.refresh_from_db()
    assert first.status == ImportStatus.READY and first.diff["added"] == 4
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/admin/prix/{first.pk}/", {"apply": "1"})
    first.refresh_from_db()
    assert first.status == ImportStatus.APPLIED and PriceLine.objects.filter(active=True).count() == 4
    assert ColumnMapping.objects.get(market=market).columns == first.columns

    upload(client, market_piece, xlsx(REVISED), day="2025-07-01", capture=django_capture_on_commit_callbacks)
    second = PriceImport.objects.latest("pk")
    check(client, second, second.columns, django_capture_on_commit_callbacks)
    page = client.get(f"/admin/prix/{second.pk}/").content.decode()
    assert "1 ligne ajoutée" in page and "1 ligne retirée" in page and "1 prix en hausse" in page and "+10,0 %" in page
    assert PriceLine.objects.get(designation__startswith="Acrobat Pro").net_price == Decimal("208.70")  # not yet
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/admin/prix/{second.pk}/", {"apply": "1"})
    acrobat = PriceLine.objects.get(designation__startswith="Acrobat Pro")
    assert acrobat.net_price == Decimal("229.58") and acrobat.versions.count() == 2
    assert not PriceLine.objects.get(publisher="Microsoft").active


def test_errors_are_listed_by_row_and_nothing_is_imported(client, staff, catalogue, django_capture_on_commit_callbacks):
    _, market_piece = catalogue
    client.force_login(staff)
    upload(
        client,
        market_piece,
        xlsx([*ROWS, ["Adobe", "Photoshop", "PDF", "beaucoup", "10"]]),
        capture=django_capture_on_commit_callbacks,
    )
    price_import = PriceImport.objects.get()
    check(client, price_import, price_import.columns, django_capture_on_commit_callbacks)
    price_import.refresh_from_db()
    assert price_import.status == ImportStatus.INVALID
    page = client.get(f"/admin/prix/{price_import.pk}/").content.decode()
    assert "1 erreur : rien n'est importé" in page and "beaucoup" in page
    client.post(f"/admin/prix/{price_import.pk}/", {"apply": "1"})
    assert not PriceLine.objects.exists()


def test_a_wrong_mapping_is_reported_and_can_be_corrected(client, staff, catalogue, django_capture_on_commit_callbacks):
    _, market_piece = catalogue
    client.force_login(staff)
    upload(client, market_piece, capture=django_capture_on_commit_callbacks)
    price_import = PriceImport.objects.get()
    check(client, price_import, {"designation": "Solution"}, django_capture_on_commit_callbacks)
    price_import.refresh_from_db()
    assert price_import.status == ImportStatus.INVALID and "colonne du prix" in price_import.errors[0]["message"]
    check(
        client,
        price_import,
        {"designation": "Solution", "discount": "Remise minimale sur prix public"},
        django_capture_on_commit_callbacks,
    )
    price_import.refresh_from_db()
    assert price_import.status == ImportStatus.READY


def test_unreadable_upload_gets_a_french_message_next_to_the_field(client, staff, catalogue):
    _, market_piece = catalogue
    client.force_login(staff)
    response = upload(client, market_piece, b"%PDF-1.4 pas un tableur", name="prix.pdf")
    assert response.status_code == 200
    assert "PDF, pas un tableur" in str(response.context["form"].errors["file"])
    assert not PriceImport.objects.exists()


def test_members_cannot_reach_the_import(client, member, catalogue):
    _, market_piece = catalogue
    client.force_login(member)
    assert upload(client, market_piece).status_code in (302, 403)
    assert not PriceImport.objects.exists()


def test_management_command_checks_then_applies(catalogue, tmp_path):
    market, market_piece = catalogue
    path = tmp_path / "catalogue.xlsx"
    path.write_bytes(xlsx(ROWS))
    out = StringIO()
    call_command("import_prices", str(market_piece.pk), str(path), stdout=out)
    assert "4 ajoutée(s)" in out.getvalue() and not PriceLine.objects.exists()
    call_command(
        "import_prices", str(market_piece.pk), str(path), "--apply", "--applies-from", "2025-03-01", stdout=out
    )
    assert PriceLine.objects.filter(applies_from=datetime.date(2025, 3, 1)).count() == 4
