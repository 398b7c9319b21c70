"""Uploads everywhere: hostile names, content that contradicts the name, line breaks in one-line fields."""

import io
import zipfile

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assistance.attachments import attachment_kind
from core.files import check_extension_matches, content_kind
from core.forms import LINE_BREAK_MESSAGE, BaseForm
from groupements.models import Groupement
from markets.models import MarketDocument
from subscriptions.services import validate_countersigned_file
from tests.factories.assistance import pdf_bytes
from tests.factories.groupements import child_rows, xlsx
from tests.factories.members import EstablishmentFactory, StaffFactory
from tests.groupements.conftest import upload

GOOD = [(r.siret, r.name, r.email) for r in child_rows(2)]
LONG_NAME = "é" * 200


@pytest.fixture
def parent(member):
    return EstablishmentFactory(
        name="CANUT", siren="924435951", siret="92443595100018", postcode="69002", users=[member]
    )


def post_groupement(client, parent, content, *, filename="groupement.xlsx", name="CANUT_MAT_NEUF2"):
    return client.post(
        reverse("groupements:create"),
        {"name": name, "parent": parent.pk, "market": "", "spreadsheet": upload(content, name=filename)},
    )


def test_a_groupement_file_named_with_200_accented_letters_is_stored_under_a_generated_name(member_client, parent):
    response = post_groupement(member_client, parent, xlsx(GOOD), filename=LONG_NAME + ".xlsx")
    assert response.status_code == 302
    groupement = Groupement.objects.get()
    assert len(groupement.spreadsheet.name) < 80 and groupement.spreadsheet.name.endswith(".xlsx")
    assert groupement.spreadsheet.open("rb").read(4) == b"PK\x03\x04"  # read back
    assert groupement.spreadsheet_name.startswith("é")


def test_a_damaged_file_named_with_200_accented_letters_is_refused_clearly(member_client, parent):
    response = post_groupement(member_client, parent, b"PK\x03\x04" + b"\x00" * 300, filename=LONG_NAME + ".xlsx")
    assert response.status_code == 200
    assert "endommagé ou illisible" in response.content.decode()
    assert not Groupement.objects.exists()


def test_a_groupement_workbook_named_pdf_is_stored_as_xlsx(member_client, parent):
    assert post_groupement(member_client, parent, xlsx(GOOD), filename="tableur.pdf").status_code == 302
    assert Groupement.objects.get().spreadsheet.name.endswith(".xlsx")


def test_an_assistance_attachment_workbook_named_pdf_is_refused():
    with pytest.raises(ValidationError, match="ni un document PDF valide"):
        attachment_kind(SimpleUploadedFile("capture.pdf", xlsx(GOOD)))


def test_a_countersigned_convention_workbook_named_pdf_is_refused():
    with pytest.raises(ValidationError, match="n'est pas un PDF"):
        validate_countersigned_file(SimpleUploadedFile("signee.pdf", xlsx(GOOD)))


def docx_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("piece.pdf", pdf_bytes(), "pdf"),
        ("bpu.xlsx", xlsx(GOOD), "xlsx"),
        ("convention.docx", docx_bytes(), "docx"),
        ("dce.zip", xlsx(GOOD), "xlsx"),  # an archive may hold anything
        ("liste.csv", "SIRET;Nom;Éléments\n".encode("cp1252"), "text"),
    ],
)
def test_content_matching_the_extension_passes(name, content, kind):
    assert check_extension_matches(io.BytesIO(content), name) == kind


@pytest.mark.parametrize(
    ("name", "content", "said"),
    [
        ("piece.pdf", xlsx(GOOD), "classeur Excel"),
        ("bpu.xlsx", pdf_bytes(), "un PDF"),
        ("convention.docx", xlsx(GOOD), "classeur Excel"),
        ("liste.csv", xlsx(GOOD), "classeur Excel"),
    ],
)
def test_content_contradicting_the_extension_is_refused(name, content, said):
    with pytest.raises(ValidationError, match=said):
        check_extension_matches(io.BytesIO(content), name)
    assert content_kind(io.BytesIO(content)) != "unknown"


def test_a_market_document_workbook_named_pdf_is_refused(db):
    document = MarketDocument(title="CCAP", file=SimpleUploadedFile("ccap.pdf", xlsx(GOOD)))
    with pytest.raises(ValidationError) as error:
        document.full_clean()
    assert "c'est un classeur Excel" in str(error.value.message_dict["file"])
    MarketDocument(title="CCAP", file=SimpleUploadedFile("ccap.pdf", pdf_bytes())).full_clean()


def test_editors_upload_through_the_admin_is_refused(client, home_page):
    client.force_login(StaffFactory(is_superuser=True))
    response = client.post(
        reverse("wagtaildocs:add"),
        {"title": "CCAP", "file": SimpleUploadedFile("ccap.pdf", xlsx(GOOD)), "collection": 1},
    )
    assert response.status_code == 200
    assert "c&#x27;est un classeur Excel" in response.content.decode()
    assert not MarketDocument.objects.exists()


# Line breaks -----------------------------------------------------------------------------


class Sample(BaseForm):
    name = forms.CharField()
    message = forms.CharField(widget=forms.Textarea)


@pytest.mark.parametrize("value", ["GPT\nBcc: x@y.fr", "GPT\r\nX", "GPT\u2028X", "GPT\x85X"])
def test_one_line_fields_refuse_line_breaks_and_textareas_keep_them(value):
    form = Sample({"name": value, "message": value})
    assert not form.is_valid()
    assert form.errors == {"name": [LINE_BREAK_MESSAGE]}


def test_a_groupement_name_with_a_line_break_is_refused_in_french(member_client, parent):
    response = post_groupement(member_client, parent, xlsx(GOOD), name="CANUT\nBcc: pirate@example.com")
    assert response.status_code == 200
    assert "Ce champ tient sur une seule ligne" in response.content.decode()
    assert not Groupement.objects.exists()


def test_account_fields_refuse_line_breaks_too(member_client):
    response = member_client.post(reverse("members:account_edit"), {"first_name": "Agnès\nX", "last_name": "Martin"})
    assert "Ce champ tient sur une seule ligne" in response.content.decode()
