"""Every .xlsx and .csv the portal writes keeps text as text (OWASP "CSV Injection")."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core.spreadsheets import BOM, csv_safe, table_workbook, workbook_bytes
from groupements.models import GroupementMember
from members.models import User
from tests.factories.groupements import GroupementFactory
from tests.factories.members import EstablishmentFactory, UserFactory

HOSTILE = ['=HYPERLINK("http://evil.example","clic")', "+33 1 23", "-2+3", "@SUM(A1)", "\tTAB", "\rCR"]


def test_csv_values_starting_like_a_formula_are_quoted():
    assert [csv_safe(value) for value in HOSTILE] == ["'" + value for value in HOSTILE]
    assert [csv_safe(value) for value in ("Mairie", 12, None, "")] == ["Mairie", 12, None, ""]


def test_xlsx_cells_stay_text_when_read_back():
    content = workbook_bytes(table_workbook(headers=["Nom"], rows=[[value] for value in HOSTILE], title="Essai"))
    sheet = load_workbook(io.BytesIO(content)).active
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert [cell.value for cell in cells] == HOSTILE
    assert {cell.data_type for cell in cells} == {"s"}


@pytest.mark.django_db
def test_a_member_typed_formula_comes_back_as_text_in_the_regenerated_groupement(member_client, member):
    groupement = GroupementFactory(parent=EstablishmentFactory(users=[member]), created_by=member)
    GroupementMember.objects.filter(groupement=groupement).update(name=HOSTILE[0])
    response = member_client.get(reverse("groupements:spreadsheet", args=[groupement.pk]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    names = [row[1] for row in sheet.iter_rows(min_row=2) if row[1].value]
    assert names and all(cell.value == HOSTILE[0] and cell.data_type == "s" for cell in names)


@pytest.mark.django_db
def test_staff_csv_export_has_a_bom_and_quoted_formulas(staff_client):
    UserFactory(status=User.Status.PENDING, first_name="=cmd|' /C calc'!A0", function="@SUM(1+1)")
    response = staff_client.get(reverse("accounts_admin:index"), {"export": "csv"})
    content = b"".join(response.streaming_content).decode("utf-8")
    assert content.startswith(BOM)
    assert "'=cmd|' /C calc'!A0" in content and "'@SUM(1+1)" in content


@pytest.mark.django_db
def test_staff_xlsx_export_keeps_formulas_as_text(staff_client):
    UserFactory(status=User.Status.PENDING, first_name="=1+1")
    response = staff_client.get(reverse("accounts_admin:index"), {"export": "xlsx"})
    content = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = load_workbook(io.BytesIO(content)).active
    [cell] = [c for row in sheet.iter_rows(min_row=2) for c in row if c.value == "=1+1"]
    assert cell.data_type == "s"
