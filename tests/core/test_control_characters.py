"""A control character is refused where it is typed and dropped by the one spreadsheet writer.

"\\x07" in a first name or "\\x01" in a price label made every export holding it a 500
(openpyxl's IllegalCharacterError), the public /prix/export.xlsx included.
"""

import io

import pytest
from django import forms
from django.urls import reverse
from openpyxl import load_workbook

from core.forms import BaseForm
from core.spreadsheets import csv_safe, table_workbook, workbook_bytes
from core.validators import CONTROL_MESSAGE
from members.models import User
from prices.models import PriceLine
from prices.parsing import read_price_table
from tests.assistance.conftest import registration_subject  # noqa: F401  (fixture)
from tests.assistance.test_views import _post_data
from tests.factories.markets import HolderFactory
from tests.prices.conftest import HEADERS, ROWS, csv_bytes, priced  # noqa: F401  (fixture)

CONTROL_HTML = CONTROL_MESSAGE.replace("'", "&#x27;")


class Sample(BaseForm):
    name = forms.CharField()
    message = forms.CharField(widget=forms.Textarea)
    password = forms.CharField(widget=forms.PasswordInput)


@pytest.mark.parametrize("char", ["\x01", "\x07", "\x1b", "\x7f", "\x9b"])
def test_every_text_field_refuses_a_control_character(char):
    form = Sample({"name": f"Anne{char}", "message": f"Bonjour{char}", "password": f"secret{char}"})
    assert not form.is_valid()
    assert form.errors == {"name": [CONTROL_MESSAGE], "message": [CONTROL_MESSAGE]}  # a password is only hashed


def test_a_textarea_keeps_its_line_breaks_and_tabs():
    form = Sample({"name": "Anne", "message": "Bonjour,\r\n\tligne 2\nfin", "password": "x"})
    assert form.is_valid(), form.errors


def test_a_one_line_field_says_line_break_once():
    form = Sample({"name": "Anne\nX", "message": "ok", "password": "x"})
    assert not form.is_valid()
    assert len(form.errors["name"]) == 1 and "seule ligne" in form.errors["name"][0]


def test_the_writer_drops_control_characters_and_keeps_the_rest():
    values = ["\x07Anne\x01", "Ligne 1\nLigne 2\tfin", "Cœur\x85"]
    content = workbook_bytes(table_workbook(headers=["Nom\x02"], rows=[values], title="Essai\x03"))
    sheet = load_workbook(io.BytesIO(content)).active
    assert [cell.value for cell in sheet[2]] == ["Anne", "Ligne 1\nLigne 2\tfin", "Cœur\x85"]
    assert sheet["A1"].value == "Nom" and sheet.title == "Essai"
    assert csv_safe("\x07=SUM(A1)") == "'=SUM(A1)"  # stripped first: what starts the text is a formula sign


@pytest.mark.django_db
def test_the_public_export_holds_a_line_stored_with_a_control_character(client, priced):  # noqa: F811
    PriceLine.objects.filter(designation__startswith="Acrobat Pro").update(designation="Acrobat\x01 Pro")
    response = client.get("/prix/export.xlsx", {"q": "acrobat"})
    assert response.status_code == 200
    names = [row[4] for row in load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)]
    assert "Acrobat Pro" in names


def test_a_price_import_drops_control_characters():
    rows = [["Adobe", "Acrobat\x01 Pro\x07", "PDF\x1b", "13 %", "239,88"], *ROWS[1:]]
    parsed = read_price_table(io.BytesIO(csv_bytes(rows, HEADERS)))  # openpyxl cannot write them
    assert not parsed.errors
    assert parsed.lines[0].designation == "Acrobat Pro" and parsed.lines[0].category == "PDF"


@pytest.mark.django_db
def test_an_account_name_with_a_control_character_is_refused_in_french(member_client, member):
    response = member_client.post(reverse("members:account_edit"), {"first_name": "Agnès\x07", "last_name": "Martin"})
    assert response.status_code == 200 and CONTROL_HTML in response.content.decode()
    assert User.objects.get(pk=member.pk).first_name == "Agnès"


@pytest.mark.django_db
def test_an_anonymous_help_request_with_a_control_character_is_refused(client, registration_subject):  # noqa: F811
    response = client.post(reverse("assistance:request"), _post_data(registration_subject, contact_name="Paul\x01"))
    assert response.status_code == 400 and CONTROL_HTML in response.content.decode()


@pytest.mark.django_db
def test_the_holders_export_holds_a_name_with_a_control_character(staff_client):
    HolderFactory(name="=SCC\x07")
    response = staff_client.get(reverse("wagtailsnippets_markets_holder:list"), {"export": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert [cell.value for cell in sheet[2]][0] == "=SCC" and sheet["A2"].data_type == "s"


@pytest.mark.django_db
def test_the_holders_listing_searches_by_name_and_siren(staff_client):
    HolderFactory(name="SCC", siren="412349444")
    for query in ("SCC", "412349444"):
        response = staff_client.get(reverse("wagtailsnippets_markets_holder:list"), {"q": query})
        assert response.status_code == 200 and "SCC" in response.content.decode()
