"""Attachments are judged by content: names and declared types mean nothing."""

import pytest
from django.core.exceptions import ValidationError

from assistance.attachments import attachment_kind, display_name, validate_attachments
from tests.factories.assistance import jpeg_bytes, pdf_bytes, png_bytes, upload

EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [("capture.png", png_bytes(), "png"), ("photo.jpg", jpeg_bytes(), "jpeg"), ("erreur.pdf", pdf_bytes(), "pdf")],
)
def test_screenshots_and_pdfs_pass(name, content, kind):
    assert attachment_kind(upload(name, content)) == kind


def test_the_extension_follows_the_content_not_the_name():
    file = upload("rapport.png", pdf_bytes())
    assert attachment_kind(file) == "pdf"
    assert display_name(file, "pdf") == "rapport.pdf"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("capture.png", EXECUTABLE),  # a renamed executable
        ("capture.png", png_bytes((400, 300))[:200]),  # a truncated image
        ("photo.jpg", jpeg_bytes()[:300]),
        ("facture.pdf", b"%PDF-1.7\nthis is not a pdf at all\n"),  # the magic, then nothing a parser reads
        ("document.pdf", b"<html><script>alert(1)</script></html>"),
        ("image.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"),
    ],
)
def test_what_is_not_a_readable_image_or_pdf_is_refused(name, content):
    with pytest.raises(ValidationError) as error:
        attachment_kind(upload(name, content))
    assert "n'est ni une image PNG ou JPEG lisible, ni un document PDF valide" in error.value.messages[0]


def test_an_empty_file_is_refused():
    with pytest.raises(ValidationError, match="est vide"):
        attachment_kind(upload("vide.png", b""))


def test_oversize_files_are_refused(settings):
    settings.ASSISTANCE_ATTACHMENT_MAX_BYTES = 1024
    with pytest.raises(ValidationError) as error:
        attachment_kind(upload("grande.png", png_bytes((600, 600)) + b"\x00" * 2048))
    assert "dépasse" in error.value.messages[0]


def test_too_many_files_are_refused(settings):
    settings.ASSISTANCE_ATTACHMENT_MAX_COUNT = 2
    files = [upload(f"c{i}.png", png_bytes()) for i in range(3)]
    with pytest.raises(ValidationError, match="2 fichiers au plus"):
        validate_attachments(files)


def test_a_decompression_bomb_is_refused():
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("1", (9000, 9000)).save(buffer, "PNG")  # small file, 81 million pixels
    with pytest.raises(ValidationError):
        attachment_kind(upload("bombe.png", buffer.getvalue()))


def test_hostile_names_never_reach_the_file_system():
    file = upload("../../etc/passwd.png", png_bytes())
    assert display_name(file, "png") == "passwd.png"
    assert display_name(upload("???.png", png_bytes()), "png") == "fichier.png"
