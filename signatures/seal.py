"""The central's seal on a convention: a visible PAdES signature with its PKCS#12 key.

The key and its password come from the environment (SIGNATURES_SEAL_PATH,
SIGNATURES_SEAL_PASSWORD), never from the repository; with SIGNATURES_TSA_URL set, the
signature carries an RFC 3161 timestamp from that server. The seal is appended as an
incremental update: the member's signature stays intact and both verify.
"""

import asyncio
import io
import threading
from pathlib import Path

from django.conf import settings

SEAL_FIELD = "CachetCANUT"
SEAL_BOX = (350, 40, 565, 110)  # bottom right of the last page, in points


class SealUnavailable(Exception):
    """The seal is not configured or cannot be opened (French message for staff)."""


def seal_configured() -> bool:
    return bool(settings.SIGNATURES_SEAL_PATH)


def _signer():
    from pyhanko.sign import signers

    path = Path(settings.SIGNATURES_SEAL_PATH)
    if not settings.SIGNATURES_SEAL_PATH or not path.is_file():
        raise SealUnavailable(
            "Le cachet de la CANUT n'est pas configuré (SIGNATURES_SEAL_PATH) : contresignez hors du portail "
            "et déposez la convention contresignée."
        )
    try:
        signer = signers.SimpleSigner.load_pkcs12(str(path), passphrase=settings.SIGNATURES_SEAL_PASSWORD.encode())
    except Exception:  # noqa: BLE001  (pyHanko raises several kinds for a bad file or password)
        signer = None
    if signer is None:
        raise SealUnavailable("Le cachet de la CANUT ne s'ouvre pas : vérifiez le fichier et son mot de passe.")
    return signer


def _timestamper():
    if not settings.SIGNATURES_TSA_URL:
        return None
    from pyhanko.sign.timestamps import HTTPTimeStamper

    return HTTPTimeStamper(settings.SIGNATURES_TSA_URL, timeout=settings.SIGNATURES_TSA_TIMEOUT)


def run_coroutine(coroutine):
    """pyHanko signs with asyncio: run it on a thread of its own, whatever loop the caller has."""
    outcome = {}

    def target():
        try:
            outcome["value"] = asyncio.run(coroutine)
        except BaseException as error:  # noqa: BLE001  (raised again in the caller's thread)
            outcome["error"] = error

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def apply_seal(pdf: bytes, *, signer_label: str = "CANUT") -> bytes:
    """`pdf` with the central's visible seal added; SealUnavailable if it cannot be applied."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko.sign.timestamps.common_utils import TimestampRequestError
    from pyhanko.stamp import TextStampStyle

    signer = _signer()
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    last_page = int(writer.root["/Pages"]["/Count"]) - 1
    field_name = SEAL_FIELD
    existing = {str(name) for name in _field_names(writer)}
    suffix = 2
    while field_name in existing:  # a convention countersigned twice keeps both seals
        field_name, suffix = f"{SEAL_FIELD}{suffix}", suffix + 1
    meta = signers.PdfSignatureMetadata(
        field_name=field_name,
        subfilter=fields.SigSeedSubFilter.PADES,
        reason="Contresignature de la convention par la centrale d'achat",
        location="France",
        name=signer_label,
    )
    pdf_signer = signers.PdfSigner(
        meta,
        signer=signer,
        timestamper=_timestamper(),
        stamp_style=TextStampStyle(stamp_text="Contresigné par %(signer)s\nle %(ts)s", border_width=1),
        new_field_spec=fields.SigFieldSpec(sig_field_name=field_name, on_page=last_page, box=SEAL_BOX),
    )
    try:
        out = run_coroutine(pdf_signer.async_sign_pdf(writer))
    except TimestampRequestError:
        raise SealUnavailable("Le serveur d'horodatage ne répond pas : réessayez dans quelques minutes.") from None
    return out.getvalue()


def _field_names(writer):
    try:
        for field in writer.root["/AcroForm"]["/Fields"]:
            yield field.get_object().get("/T", "")
    except KeyError:
        return
