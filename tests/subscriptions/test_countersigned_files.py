"""The countersigned convention, checked through core.files: a crafted .docx gets the one
answer ("endommagé ou illisible"), a Word document with an embedded workbook still passes."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from subscriptions.services import validate_countersigned_file
from tests.factories.hostile import rebuild, variants
from tests.factories.subscriptions import docx_bytes

GOOD = docx_bytes("Contresignée")
CASES = variants(GOOD, part="word/document.xml")


def test_a_word_document_passes_even_with_an_embedded_workbook():
    embedded = rebuild(GOOD, add=[("word/embeddings/Feuille.xlsx", docx_bytes("x"))])
    assert validate_countersigned_file(SimpleUploadedFile("signee.docx", GOOD)) == "docx"
    assert validate_countersigned_file(SimpleUploadedFile("signee.docx", embedded)) == "docx"


@pytest.mark.parametrize("case", CASES)
def test_a_crafted_docx_is_damaged(case):
    with pytest.raises(ValidationError) as error:
        validate_countersigned_file(SimpleUploadedFile("signee.docx", CASES[case]))
    assert error.value.code == "damaged" and "endommagé ou illisible" in error.value.messages[0]
