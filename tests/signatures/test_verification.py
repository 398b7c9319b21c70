"""Real PDFs signed with pyHanko under a test PKI, each giving the report the order asks for."""

import io
import time

import pytest
from pypdf import PdfReader, PdfWriter

from signatures import verification
from signatures.verification import UnreadablePdf, verify_pdf

from .pki import append_update, blank_pdf, sign_pdf


def points(report, signature=0):
    return {point["number"]: point for point in report["signatures"][signature]["points"]}


def text(point):
    return " ".join(point["lines"])


def test_valid_qualified_timestamped(qualified_pdf, anchors):
    report = verify_pdf(qualified_pdf, anchors=anchors)
    assert report["verdict"] == "Signature valide, certificat qualifié"
    assert report["level"] == "ok" and report["pages"] == 2
    signature = report["signatures"][0]
    assert signature["signer"] == "Marie Curie" and signature["timestamped"] and signature["qualified"]
    by_number = points(report)
    assert [p["label"] for p in signature["points"]] == list(verification.POINTS)
    assert all(by_number[n]["ok"] is True for n in (1, 2, 3, 5))
    assert "Organisation : Mairie de Lyon" in by_number[1]["lines"]
    assert "Certificat émis par : AC qualifiée de test" in by_number[1]["lines"]
    assert "remonte à « Racine de test »" in text(by_number[1])
    assert "« AC qualifiée de test »" in text(by_number[2])
    assert "PAdES" in text(by_number[3])
    assert "heure certifiée par un horodatage" in text(by_number[4])
    # No revocation data in the file: said, not assumed.
    assert by_number[4]["ok"] is None and "n'a pas pu être vérifiée" in text(by_number[4])
    assert "couvre tout le document" in text(by_number[5])


def test_valid_not_qualified(pki, anchors):
    report = verify_pdf(sign_pdf(blank_pdf(), pki.not_qualified), anchors=anchors)
    assert report["verdict"] == "Certificat non qualifié" and report["level"] == "warning"
    by_number = points(report)
    assert by_number[1]["ok"] is True and by_number[2]["ok"] is False
    assert "heure déclarée par le signataire, sans horodatage" in text(by_number[4])


def test_untrusted_root(pki, anchors):
    report = verify_pdf(sign_pdf(blank_pdf(), pki.untrusted), anchors=anchors)
    assert report["verdict"] == "Certificat non reconnu : aucune autorité de confiance"
    by_number = points(report)
    assert by_number[1]["ok"] is False and "n'aboutit à aucune autorité" in text(by_number[1])
    assert "Signataire : Eve Inconnue" in by_number[1]["lines"]
    assert by_number[5]["ok"] is True  # intact all the same


def test_expired_at_signing_time(pki, anchors):
    report = verify_pdf(sign_pdf(blank_pdf(), pki.expired), anchors=anchors)
    assert report["verdict"] == "Certificat expiré à la date de signature" and report["level"] == "error"
    assert points(report)[4]["ok"] is False
    assert "n'était pas en cours de validité" in text(points(report)[4])


def test_revoked_with_embedded_revocation_data(pki, anchors):
    signed = sign_pdf(blank_pdf(), pki.revoked, embed_revocation=pki.revocation_list)
    report = verify_pdf(signed, anchors=anchors)
    assert report["verdict"] == "Certificat révoqué à la date de signature"
    assert points(report)[4]["ok"] is False and "révoqué le" in text(points(report)[4])
    # The DSS added after signing is a validation update: not a modification.
    assert points(report)[5]["ok"] is True


def test_embedded_revocation_data_clears_a_valid_certificate(pki, anchors):
    signed = sign_pdf(blank_pdf(), pki.qualified, embed_revocation=pki.revocation_list)
    report = verify_pdf(signed, anchors=anchors)
    assert report["verdict"] == "Signature valide, certificat qualifié"
    assert points(report)[4]["ok"] is True and "données de révocation contenues" in text(points(report)[4])


def test_modified_after_signing(qualified_pdf, anchors):
    report = verify_pdf(append_update(qualified_pdf), anchors=anchors)
    assert report["verdict"] == "Document modifié après signature" and report["level"] == "error"
    assert points(report)[5]["ok"] is False
    assert "a changé après cette signature" in text(points(report)[5])


def test_bytes_changed_inside_the_signed_range(qualified_pdf, anchors):
    tampered = qualified_pdf.replace(b"/Count 2", b"/Count 3", 1)
    assert tampered != qualified_pdf
    report = verify_pdf(tampered, anchors=anchors)
    assert report["verdict"] in ("Signature invalide", "Document modifié après signature")
    assert points(report)[5]["ok"] is False


def test_two_signatures(qualified_pdf, pki, anchors):
    both = sign_pdf(qualified_pdf, pki.not_qualified, field_name="Signature2")
    report = verify_pdf(both, anchors=anchors)
    assert [s["signer"] for s in report["signatures"]] == ["Marie Curie", "Paul Martin"]
    # The first signature covers its revision; a later signature is an allowed addition.
    assert points(report, 0)[5]["ok"] is True and "autres signatures" in text(points(report, 0)[5])
    assert report["signatures"][0]["verdict"] == "Signature valide, certificat qualifié"
    assert report["verdict"] == "Certificat non qualifié"  # the worst of the two


def test_two_qualified_signatures(qualified_pdf, pki, anchors):
    both = sign_pdf(qualified_pdf, pki.seal, field_name="Signature2", timestamper=pki.timestamper())
    assert verify_pdf(both, anchors=anchors)["verdict"] == "2 signatures valides, certificats qualifiés"


def test_unsigned(anchors):
    report = verify_pdf(blank_pdf(), anchors=anchors)
    assert report == {
        "verdict": "Aucune signature électronique",
        "level": "none",
        "signed": False,
        "pages": 1,
        "signatures": [],
    }


def test_nothing_is_trusted_without_a_trusted_list(qualified_pdf):
    from signatures.trust import TrustAnchors

    report = verify_pdf(qualified_pdf, anchors=TrustAnchors())
    assert report["verdict"] == "Certificat non reconnu : aucune autorité de confiance"


# Files that are not what they claim -------------------------------------------------------


def refused(data, anchors, **kwargs) -> str:
    with pytest.raises(UnreadablePdf) as error:
        verify_pdf(data, anchors=anchors, **kwargs)
    return str(error.value)


def test_not_a_pdf(anchors):
    assert "n'est pas un PDF" in refused(b"PK\x03\x04 a zip pretending", anchors)
    assert "vide" in refused(b"", anchors)


def test_truncated(qualified_pdf, anchors):
    message = refused(qualified_pdf[: len(qualified_pdf) // 3], anchors)
    assert "endommagé ou illisible" in message


def test_encrypted(anchors):
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    assert "chiffré" in refused(out.getvalue(), anchors)


def test_too_heavy_is_refused_before_parsing(anchors):
    limits = verification.Limits(max_bytes=1000, max_pages=10)
    assert "la limite est de" in refused(b"%PDF-1.7\n" + b"0" * 2000, anchors, limits=limits)


def test_too_many_pages(anchors):
    limits = verification.Limits(max_bytes=10_000_000, max_pages=3)
    assert "compte 5 pages : la limite est de 3 pages" in refused(blank_pdf(pages=5), anchors, limits=limits)


def hostile(body: bytes) -> bytes:
    return b"%PDF-1.7\n" + body + b"\ntrailer\n<< /Root 1 0 R /Size 9 >>\n%%EOF\n"


def test_recursive_references(anchors):
    # The page tree's count refers to itself, its kids to themselves.
    data = hostile(
        b"1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        b"2 0 obj << /Type /Pages /Kids [2 0 R] /Count 3 0 R >> endobj\n"
        b"3 0 obj 3 0 R endobj\n"
    )
    message = refused(data, anchors)
    assert "endommagé" in message or "trop complexe" in message


def test_deep_nesting_and_a_huge_object_stream_stay_within_budget(anchors, settings):
    settings.SIGNATURES_CPU_SECONDS = 1
    settings.SIGNATURES_WALL_SECONDS = 3
    deep = b"[" * 400_000 + b"]" * 400_000
    bomb = hostile(
        b"1 0 obj << /Type /Catalog /Pages 2 0 R /X 4 0 R >> endobj\n"
        b"2 0 obj << /Type /Pages /Kids [] /Count 0 /Deep " + deep + b" >> endobj\n"
        b"4 0 obj << /Type /ObjStm /N 10000000 /First 0 /Length 5 >> stream\n0 0 0\nendstream endobj\n"
    )
    started = time.monotonic()
    message = refused(bomb, anchors)
    assert time.monotonic() - started < 5
    assert "endommagé" in message or "trop complexe" in message


def test_a_child_that_spins_is_stopped_at_its_budget(settings):
    from signatures.sandbox import BudgetExceeded, run_bounded

    started = time.monotonic()
    with pytest.raises(BudgetExceeded):
        run_bounded(spin, cpu_seconds=1, wall_seconds=2, extra_memory_bytes=64 * 1024 * 1024)
    assert time.monotonic() - started < 4


def spin():
    while True:
        pass


def test_a_signed_pdf_read_back_is_still_a_pdf(qualified_pdf):
    assert len(PdfReader(io.BytesIO(qualified_pdf)).pages) == 2
