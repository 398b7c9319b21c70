import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from members.groupements.spreadsheet import CONTENT_TYPE
from tests.factories.groupements import EstablishmentFactory, StaffFactory, UserFactory


@pytest.fixture
def member(db):
    return UserFactory()


@pytest.fixture
def parent(member):
    return EstablishmentFactory(
        name="CANUT", siren="924435951", siret="92443595100018", postcode="69002", users=[member]
    )


@pytest.fixture
def staff(db):
    return StaffFactory()


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def upload(content: bytes, name: str = "groupement.xlsx", content_type: str = CONTENT_TYPE):
    return SimpleUploadedFile(name, content, content_type=content_type)


def stream(content: bytes):
    return io.BytesIO(content)
