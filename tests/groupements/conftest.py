import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.spreadsheets import XLSX_CONTENT_TYPE
from tests.factories.members import EstablishmentFactory


@pytest.fixture
def parent(member):
    return EstablishmentFactory(
        name="CANUT", siren="924435951", siret="92443595100018", postcode="69002", users=[member]
    )


def upload(content: bytes, name: str = "groupement.xlsx", content_type: str = XLSX_CONTENT_TYPE):
    return SimpleUploadedFile(name, content, content_type=content_type)


def stream(content: bytes):
    return io.BytesIO(content)
