"""'Vérifier une signature': anyone, nothing stored, rate limited, hostile files answered."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from signatures.models import SignedConvention

from .pki import blank_pdf

pytestmark = pytest.mark.django_db


def check(client, data, name="document.pdf"):
    return client.post(reverse("signatures:verify"), {"file": SimpleUploadedFile(name, data)})


def private_files(settings):
    root = settings.PRIVATE_MEDIA_ROOT
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_anyone_reads_the_report_and_nothing_is_stored(client, qualified_pdf, trusted_list, settings):
    before = private_files(settings)
    response = check(client, qualified_pdf, "contrat.pdf")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Signature valide, certificat qualifié" in page and "Marie Curie" in page and "contrat.pdf" in page
    assert "Intégrité du document signé" in page
    assert private_files(settings) == before and not SignedConvention.objects.exists()


def test_the_page_is_linked_from_the_help_pages(client, home_page):
    page = client.get(reverse("assistance:request")).content.decode()
    assert reverse("signatures:verify") in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "Le fichier soumis est vide"),
        (b"GIF89a not a pdf", "n&#x27;est pas un PDF"),
        (b"%PDF-1.7\n%%EOF", "endommagé ou illisible"),
    ],
)
def test_bad_files_get_a_clear_message(client, data, message):
    response = check(client, data)
    assert response.status_code == 200
    assert message in response.content.decode()


def test_unsigned(client):
    assert "Aucune signature électronique" in check(client, blank_pdf()).content.decode()


def test_rate_limited_per_client(client, settings):
    settings.SIGNATURES_PUBLIC_HOURLY_LIMIT = 2
    pdf = blank_pdf()
    assert check(client, pdf).status_code == 200
    assert check(client, pdf).status_code == 200
    response = check(client, pdf)
    assert response.status_code == 429 and "réessayez dans une heure" in response.content.decode()


def test_get_shows_the_form(client):
    page = client.get(reverse("signatures:verify")).content.decode()
    assert 'enctype="multipart/form-data"' in page and "Document PDF signé" in page


def test_a_file_over_the_limit_is_not_read_past_it(client, settings):
    settings.SIGNATURES_MAX_BYTES = 1024
    page = check(client, blank_pdf() + b"%" * 4096).content.decode()
    # The upload handler's words (core.uploads): reading stopped at the limit, before the view.
    assert "Le fichier est trop lourd : la limite est de 0,1 Mo." in page


def test_csrf_is_checked_once_the_upload_handler_is_in_place():
    client = Client(enforce_csrf_checks=True)
    assert check(client, blank_pdf()).status_code == 403
    token = client.get(reverse("signatures:verify")).cookies["csrftoken"].value
    response = client.post(
        reverse("signatures:verify"),
        {"file": SimpleUploadedFile("a.pdf", blank_pdf()), "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 200 and "Aucune signature électronique" in response.content.decode()
