"""What a hostile attachment may cost an anonymous visitor's request: bounded before any
decoding (pixels, JPEG scans, PDF objects and pages), by a CPU budget, and nothing at all
once the sender is over the hourly limit."""

import io
import time

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from assistance import attachments
from assistance.attachments import attachment_kind, jpeg_scans
from assistance.models import SupportRequest
from tests.assistance.test_views import _send
from tests.factories.assistance import png_bytes, upload
from tests.factories.hostile import variants
from tests.prices.conftest import ROWS, xlsx

GOOD_WORKBOOK = xlsx(ROWS)


def progressive_jpeg(size, repeats):
    """A progressive JPEG whose last scan is repeated: each repeat decodes the whole image again."""
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, "JPEG", progressive=True, quality=90)
    data = buffer.getvalue()
    last_scan = data[data.rfind(b"\xff\xda") : -2]
    return data[:-2] + last_scan * repeats + b"\xff\xd9"


def pdf(objects, pages_declared=1):
    """A hand-written PDF: `objects` filler objects, a page tree declaring `pages_declared`."""
    bodies = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [3 0 R] /Count {pages_declared} >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
        *(f"<< /N {number} >>" for number in range(objects)),
    ]
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(bodies, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj {body} endobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(bodies) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer << /Size {len(bodies) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


@pytest.mark.parametrize(
    "content",
    [
        progressive_jpeg((6000, 6000), 300),  # the reported file: 36 million pixels
        progressive_jpeg((4000, 3000), 300),  # under the pixel bound: its scans are counted
    ],
    ids=["6000x6000", "4000x3000"],
)
def test_a_jpeg_repeating_its_scans_is_refused_before_decoding(client, registration_subject, content):
    assert jpeg_scans(content) > 300
    files = [upload(f"capture{i}.jpg", content) for i in range(3)]
    started = time.process_time()
    response = _send(client, registration_subject, attachments=files)
    spent = time.process_time() - started
    assert response.status_code == 400
    assert "ni une image PNG ou JPEG lisible" in response.content.decode()
    assert not SupportRequest.objects.exists()
    # Decoding one of these cost 7 to 10 s; refusing three, with the whole request, far less.
    assert spent < 1.5, spent


def test_an_ordinary_progressive_photo_still_passes():
    content = progressive_jpeg((4000, 3000), 0)
    assert 1 < jpeg_scans(content) <= attachments.MAX_JPEG_SCANS
    assert attachment_kind(upload("photo.jpg", content)) == "jpeg"


def test_the_cpu_budget_stops_a_check_that_runs_long():
    content = png_bytes((2000, 2000))
    assert attachment_kind(upload("ok.png", content)) == "png"
    with pytest.raises(ValidationError, match="ni une image PNG ou JPEG lisible"):
        attachment_kind(upload("lente.png", content), attachments._Budget(0.0))


@pytest.mark.parametrize(
    "content",
    [pdf(objects=attachments.MAX_PDF_OBJECTS + 1), pdf(objects=1, pages_declared=10**9)],
    ids=["objects", "pages"],
)
def test_a_pdf_past_the_object_or_page_bounds_is_refused(content):
    assert attachment_kind(upload("ok.pdf", pdf(objects=5))) == "pdf"
    with pytest.raises(ValidationError, match="ni un document PDF valide"):
        attachment_kind(upload("lourd.pdf", content))


def test_over_the_hourly_limit_no_file_is_read(client, registration_subject, settings):
    settings.ASSISTANCE_HOURLY_LIMIT = 1  # four posts an hour, whatever they hold
    for _ in range(4):
        _send(client, registration_subject, contact_email="")  # refused by the form, counted
    executable = [upload("setup.png", b"MZ" + b"\x00" * 100)]
    response = _send(client, registration_subject, attachments=executable)
    html = response.content.decode()
    assert response.status_code == 400 and "réessayez dans une heure" in html
    # Read, the file would have been refused next to its field: it was never opened.
    assert 'id="id_attachments_error"' not in html
    assert not SupportRequest.objects.exists()


def test_a_request_refused_by_the_email_limit_decodes_no_file(
    client, registration_subject, settings, django_capture_on_commit_callbacks
):
    settings.ASSISTANCE_HOURLY_LIMIT = 1
    with django_capture_on_commit_callbacks(execute=True):
        assert _send(client, registration_subject).status_code == 302
    response = _send(client, registration_subject, attachments=[upload("setup.png", b"MZ" + b"\x00" * 100)])
    html = response.content.decode()
    assert response.status_code == 400 and "réessayez dans une heure" in html
    assert 'id="id_attachments_error"' not in html
    assert SupportRequest.objects.count() == 1


@pytest.mark.parametrize("case", list(variants(GOOD_WORKBOOK)))
def test_a_crafted_archive_sent_as_an_attachment_is_refused(case):
    for name in ("capture.png", "document.pdf", "tableur.xlsx"):
        with pytest.raises(ValidationError, match="ni un document PDF valide"):
            attachment_kind(upload(name, variants(GOOD_WORKBOOK)[case]))
