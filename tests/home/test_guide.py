"""The user guide built from the portal: the journeys' screenshots and the guide's text,
printed to an accessible PDF (read back: tagged headings, figures with their alternative
text, French), then served as "Guide d'utilisation (PDF)"."""

import io
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader

from home import guide

pytestmark = [pytest.mark.browser, pytest.mark.django_db]  # Chromium prints it


def screenshot(path, colour):
    Image.new("RGB", (1280, 900), colour).save(path)


def structure(reader):
    """(tag, alternative text) of every element of the PDF's structure tree, in order."""
    found = []

    def walk(element):
        element = element.get_object()
        if "/S" in element:
            found.append((str(element["/S"]), element.get("/Alt")))
        kids = element.get("/K")
        for kid in kids if isinstance(kids, list) else [kids] if kids is not None else []:
            kid = kid.get_object() if hasattr(kid, "get_object") else kid
            if isinstance(kid, dict):
                walk(kid)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return found


def test_the_guide_is_a_tagged_french_pdf_with_the_screenshots(tmp_path, client, home_page):
    shots = tmp_path / "screenshots"
    shots.mkdir()
    screenshot(shots / "1280-guide-catalogue.png", "#1d4f91")
    screenshot(shots / "1280-guide-souscription.png", "#c8ccd4")
    screenshot(shots / "390-guide-catalogue.png", "#ff0000")  # phones' are not the guide's
    output = tmp_path / "guide.pdf"
    out = StringIO()
    call_command("build_user_guide", screenshots=str(shots), output=str(output), publish=True, stdout=out)
    assert f"2 copie(s) d'écran sur {len(guide.SECTIONS)} sections" in out.getvalue()

    reader = PdfReader(output)
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "fr" and root["/MarkInfo"]["/Marked"]
    assert reader.metadata.title == guide.TITLE
    tags = structure(reader)
    counts = Counter(tag for tag, _ in tags)
    assert counts["/H1"] == 1 and counts["/H2"] == len(guide.SECTIONS)
    # Each <figure> is a Figure holding its image's Figure, which carries the alternative text.
    alts = [str(alt) for tag, alt in tags if tag == "/Figure" and alt]
    by_key = {section.key: section for section in guide.SECTIONS}
    assert alts == [by_key["catalogue"].alt, by_key["souscription"].alt]
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Rechercher un accord-cadre" in text and "sous 3 heures ouvrées" in text
    assert len(reader.pages) >= len(guide.SECTIONS)  # one section a page
    assert [item.title for item in reader.outline if not isinstance(item, list)][0] == guide.TITLE

    # Served where the guide was linked: the help page's resources and the footer.
    response = client.get(reverse("assistance:user_guide"))
    assert response.status_code == 200 and b"".join(response.streaming_content) == output.read_bytes()
    page = client.get(reverse("assistance:request")).content.decode()
    assert "Guide d&#x27;utilisation (PDF," in page or "Guide d'utilisation (PDF," in page


def test_without_screenshots_the_guide_has_its_text(tmp_path):
    content, pictures = guide.guide_pdf(screenshots=tmp_path)
    assert pictures == 0
    reader = PdfReader(io.BytesIO(content))
    assert Counter(tag for tag, _ in structure(reader))["/Figure"] == 0
    assert "Préparer sa souscription" in "".join(page.extract_text() for page in reader.pages)
