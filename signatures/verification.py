"""Verify the electronic signatures of a PDF with pyHanko and say it in French.

The report follows the checks of the French order of 22 March 2019 on the signature of
public procurement contracts (arrêté du 22 mars 2019, art. 5 and 6), point by point:
1. the signer's identity (and the chain of certificates up to a trusted authority);
2. the certificate's category (qualified or not, from the imported trusted list);
3. the signature's format (PAdES);
4. the certificate neither expired nor revoked at the time of signing;
5. the integrity of the signed document.
and ends with a one-line verdict.

`verify_pdf` bounds the file (size, then the page count read from the page tree) and runs
the whole parse in a forked child with a CPU, memory and time budget (sandbox.py): a
hostile PDF gets a clear message, never a 500 nor seconds of a worker. Nothing is ever
fetched (no OCSP, no CRL download): revocation is checked with what the file carries.
The report is plain data (JSON), stored as is with a returned convention.

pyHanko is imported here, in the parent: each forked child finds it loaded.
"""

import datetime
import io
import logging
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.ades.report import AdESFailure, AdESIndeterminate
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.general import find_unique_cms_attribute
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from .sandbox import BudgetExceeded, run_bounded
from .trust import TrustAnchors, trust_anchors

logger = logging.getLogger(__name__)
PARIS = ZoneInfo("Europe/Paris")

VALID_QUALIFIED = "Signature valide, certificat qualifié"
VALID_NOT_QUALIFIED = "Certificat non qualifié"
MODIFIED = "Document modifié après signature"
NO_SIGNATURE = "Aucune signature électronique"
UNTRUSTED = "Certificat non reconnu : aucune autorité de confiance"
EXPIRED = "Certificat expiré à la date de signature"
REVOKED = "Certificat révoqué à la date de signature"
INVALID = "Signature invalide"

# Worst first: the document's verdict is its worst signature's.
SEVERITY = [MODIFIED, INVALID, REVOKED, EXPIRED, UNTRUSTED, VALID_NOT_QUALIFIED, VALID_QUALIFIED]

POINTS = (
    "Identité du signataire",
    "Catégorie du certificat",
    "Format de la signature",
    "Certificat non expiré et non révoqué à la date de signature",
    "Intégrité du document signé",
)


class UnreadablePdf(ValueError):
    """A file that cannot be verified: the message says why, in French, for the person."""


@dataclass(frozen=True)
class Limits:
    max_bytes: int
    max_pages: int


def default_limits() -> Limits:
    return Limits(max_bytes=settings.SIGNATURES_MAX_BYTES, max_pages=settings.SIGNATURES_MAX_PAGES)


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}".replace(".", ",").removesuffix(",0")


def verify_pdf(data: bytes, *, anchors: TrustAnchors | None = None, limits: Limits | None = None) -> dict:
    """The verification report of `data`, or UnreadablePdf with a French message."""
    limits = limits or default_limits()
    if not data:
        raise UnreadablePdf("Le fichier est vide.")
    if len(data) > limits.max_bytes:
        raise UnreadablePdf(
            f"Le fichier pèse {_megabytes(len(data))} Mo : la limite est de {_megabytes(limits.max_bytes)} Mo."
        )
    if not data[:1024].lstrip().startswith(b"%PDF-"):
        raise UnreadablePdf("Ce fichier n'est pas un PDF : déposez le document signé au format PDF.")
    anchors = anchors if anchors is not None else trust_anchors()
    try:
        outcome = run_bounded(
            _verify_in_child,
            data,
            anchors,
            limits.max_pages,
            cpu_seconds=settings.SIGNATURES_CPU_SECONDS,
            wall_seconds=settings.SIGNATURES_WALL_SECONDS,
            extra_memory_bytes=settings.SIGNATURES_MEMORY_BYTES,
        )
    except BudgetExceeded as error:
        logger.warning("Signature verification over budget: %s", error)
        raise UnreadablePdf(
            "Ce PDF est trop complexe pour être vérifié ici (sa lecture dépasse le temps ou la mémoire "
            "permis) : enregistrez-le à nouveau en PDF, puis déposez-le."
        ) from None
    except RuntimeError as error:
        logger.warning("Signature verification failed: %s", error)
        raise UnreadablePdf(DAMAGED) from None
    if "problem" in outcome:
        raise UnreadablePdf(outcome["problem"])
    return outcome


DAMAGED = "Ce PDF est endommagé ou illisible : enregistrez-le à nouveau, puis déposez-le."
ENCRYPTED = (
    "Ce PDF est chiffré (protégé par un mot de passe) : ses signatures ne peuvent pas être vérifiées. "
    "Déposez une version sans mot de passe."
)


# In the child process ------------------------------------------------------------------


def _verify_in_child(data: bytes, anchors: TrustAnchors, max_pages: int) -> dict:
    # A hostile or modified file is an expected outcome here, not an error to log with its traceback.
    for name in ("pyhanko", "pyhanko_certvalidator"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
    except Exception:  # noqa: BLE001  (any parse error of a hostile file is "damaged")
        return {"problem": DAMAGED}
    if reader.encrypted:
        return {"problem": ENCRYPTED}
    try:
        pages = int(reader.root["/Pages"]["/Count"])
    except Exception:  # noqa: BLE001
        return {"problem": DAMAGED}
    if pages > max_pages or pages < 0:
        return {"problem": f"Ce PDF compte {pages} pages : la limite est de {max_pages} pages."}
    try:
        signatures = list(reader.embedded_regular_signatures)
    except Exception:  # noqa: BLE001
        return {"problem": DAMAGED}
    reports = []
    for index, embedded in enumerate(signatures, start=1):
        try:
            reports.append(_signature_report(reader, embedded, anchors, index))
        except Exception as error:  # noqa: BLE001  (one unreadable signature is reported, not raised)
            reports.append(_broken_signature_report(embedded, index, error))
    return _document_report(reports, pages=pages)


def _document_report(reports: list[dict], *, pages: int) -> dict:
    if not reports:
        verdict = NO_SIGNATURE
    else:
        verdict = min((report["verdict"] for report in reports), key=SEVERITY.index)
        if verdict == VALID_QUALIFIED and len(reports) > 1:
            verdict = f"{len(reports)} signatures valides, certificats qualifiés"
    return {
        "verdict": verdict,
        "level": _level(verdict, signed=bool(reports)),
        "signed": bool(reports),
        "pages": pages,
        "signatures": reports,
    }


def _level(verdict: str, *, signed: bool) -> str:
    """ "ok", "warning" (a signature staff should look at) or "error" (or none)."""
    if not signed:
        return "none"
    if verdict.endswith("certificats qualifiés") or verdict == VALID_QUALIFIED:
        return "ok"
    if verdict in (VALID_NOT_QUALIFIED, UNTRUSTED):
        return "warning"
    return "error"


def _name_part(name, key: str) -> str:
    try:
        return str(name.native.get(key, "") or "")
    except Exception:  # noqa: BLE001
        return ""


def _display_time(moment: datetime.datetime | None) -> str:
    """ "07/12/2026 à 13:40", Paris time."""
    if moment is None:
        return "une date inconnue"
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=datetime.UTC)
    return moment.astimezone(PARIS).strftime("%d/%m/%Y à %H:%M")


def _point(number: int, ok, lines: list[str]) -> dict:
    """ok: True (satisfied), False (failed) or None (could not be established)."""
    return {"number": number, "label": POINTS[number - 1], "ok": ok, "lines": lines}


def _broken_signature_report(embedded, index: int, error: Exception) -> dict:
    logger.info("Unreadable signature %s: %s", index, error)
    try:
        field = embedded.field_name
    except Exception:  # noqa: BLE001
        field = ""
    return {
        "index": index,
        "field": str(field or ""),
        "signer": "",
        "verdict": INVALID,
        "points": [_point(5, False, ["Cette signature est illisible ou ne correspond à aucun format reconnu."])],
    }


def _signature_report(reader, embedded, anchors: TrustAnchors, index: int) -> dict:
    cert = embedded.signer_cert
    subject, issuer = cert.subject, cert.issuer
    claimed = embedded.self_reported_timestamp

    # Revocation data the file carries: the DSS (PAdES) and the CMS archival attribute.
    revocation = {"crls": [], "ocsps": [], "other_certs": [*embedded.other_embedded_certs, *anchors.intermediates()]}
    try:
        dss = DocumentSecurityStore.read_dss(reader)
    except Exception:  # noqa: BLE001  (no DSS: nothing to add)
        dss = None
    if dss is not None:
        context = dss.as_validation_context({})
        revocation["crls"] += list(context.revinfo_manager.crls)
        revocation["ocsps"] += list(context.revinfo_manager.ocsps)
        revocation["other_certs"] += list(dss.load_certs())
    archival = _cms_revocation_archival(embedded.signer_info)
    revocation["crls"] += archival[0]
    revocation["ocsps"] += archival[1]
    has_revocation_data = bool(revocation["crls"] or revocation["ocsps"])

    def context_at(moment):
        return ValidationContext(
            trust_roots=anchors.certificates(),
            allow_fetching=False,
            revocation_mode="soft-fail",
            moment=moment,
            **revocation,
        )

    # A first pass reads the timestamp, if any; the chain is then judged at the signing time.
    first = validate_pdf_signature(embedded, context_at(None))
    timestamp = first.timestamp_validity
    timestamped = timestamp is not None and timestamp.valid and timestamp.intact
    signing_time = timestamp.timestamp if timestamped else (first.signer_reported_dt or claimed)
    status = validate_pdf_signature(embedded, context_at(signing_time)) if signing_time else first

    points = []
    # 1. Identity, and the chain up to a trusted authority.
    path = status.validation_path
    identity_lines = [
        f"Signataire : {_name_part(subject, 'common_name') or 'non indiqué'}",
        f"Organisation : {_name_part(subject, 'organization_name') or 'non indiquée'}",
        f"Certificat émis par : {_name_part(issuer, 'common_name') or issuer.human_friendly}",
    ]
    anchor_cert = None
    if path is not None and status.trust_problem_indic != AdESIndeterminate.NO_CERTIFICATE_CHAIN_FOUND:
        try:
            anchor_cert = path.trust_anchor.authority.certificate
        except Exception:  # noqa: BLE001
            anchor_cert = None
    chain_ok = anchor_cert is not None
    if chain_ok:
        identity_lines.append(
            f"Chaîne de certification : remonte à « {_name_part(anchor_cert.subject, 'common_name')} », "
            "autorité de la liste de confiance importée."
        )
    else:
        identity_lines.append(
            "Chaîne de certification : n'aboutit à aucune autorité de la liste de confiance importée."
        )
    points.append(_point(1, chain_ok, identity_lines))

    # 2. Category: qualified when a certificate of the chain is a granted CA/QC service.
    qualified_by = anchors.qualified_service_for(path.iter_certs(include_root=True)) if chain_ok else None
    if qualified_by:
        points.append(
            _point(
                2,
                True,
                [f"Certificat qualifié : émis sous le service qualifié « {qualified_by} » (liste de confiance)."],
            )
        )
    elif chain_ok:
        points.append(
            _point(
                2,
                False,
                [
                    "Certificat non qualifié : son autorité n'est pas un service qualifié (CA/QC) "
                    "de la liste de confiance."
                ],
            )
        )
    else:
        points.append(
            _point(2, False, ["Catégorie inconnue : le certificat ne remonte à aucune autorité de confiance."])
        )

    # 3. Format.
    subfilter = str(embedded.sig_object.get("/SubFilter", ""))
    if subfilter == "/ETSI.CAdES.detached":
        points.append(_point(3, True, ["PAdES (signature CAdES détachée intégrée au PDF, ETSI EN 319 142)."]))
    elif subfilter == "/adbe.pkcs7.detached":
        points.append(
            _point(3, None, ["Signature PDF de type PKCS#7 (adbe.pkcs7.detached) : format antérieur à PAdES."])
        )
    else:
        points.append(_point(3, False, [f"Format non reconnu ({subfilter or 'non indiqué'})."]))

    # 4. Expired or revoked at the signing time.
    valid_from, valid_to = cert.not_valid_before, cert.not_valid_after
    time_lines = [
        f"Signé le {_display_time(signing_time)}"
        + (
            " : heure certifiée par un horodatage (RFC 3161)."
            if timestamped
            else " : heure déclarée par le signataire, sans horodatage."
        ),
        f"Certificat valable du {_display_time(valid_from)} au {_display_time(valid_to)}.",
    ]
    expired = signing_time is not None and not (valid_from <= signing_time <= valid_to)
    revoked = status.revoked or status.trust_problem_indic in (
        AdESFailure.REVOKED,
        AdESIndeterminate.REVOKED_NO_POE,
        AdESIndeterminate.REVOKED_CA_NO_POE,
    )
    if expired:
        time_lines.append("Le certificat n'était pas en cours de validité à la date de signature.")
    if revoked:
        details = status.revocation_details
        when = f" le {_display_time(details.revocation_date)}" if details is not None else ""
        time_lines.append(f"Le certificat a été révoqué{when}, avant la signature.")
    elif has_revocation_data:
        time_lines.append("Révocation : vérifiée avec les données de révocation contenues dans le fichier.")
    else:
        time_lines.append(
            "Révocation : le fichier ne contient pas de données de révocation ; elle n'a pas pu être vérifiée."
        )
    points.append(_point(4, False if (expired or revoked) else (True if has_revocation_data else None), time_lines))

    # 5. Integrity, coverage, changes after signing.
    integrity_lines = []
    intact = status.intact and status.valid
    integrity_lines.append(
        "Signature intacte : le contenu signé n'a pas été modifié."
        if intact
        else "Signature invalide : le contenu signé ne correspond plus à la signature."
    )
    coverage = status.coverage
    level = status.modification_level
    if coverage == SignatureCoverageLevel.ENTIRE_FILE:
        integrity_lines.append("La signature couvre tout le document.")
    elif coverage == SignatureCoverageLevel.ENTIRE_REVISION:
        integrity_lines.append(
            "La signature couvre la version signée du document ; des mises à jour ont été ajoutées après."
        )
    else:
        integrity_lines.append("La signature ne couvre qu'une partie du fichier.")
    modified = (not intact) or coverage not in (
        SignatureCoverageLevel.ENTIRE_FILE,
        SignatureCoverageLevel.ENTIRE_REVISION,
    )
    if coverage == SignatureCoverageLevel.ENTIRE_REVISION:
        if level in (ModificationLevel.NONE, ModificationLevel.LTA_UPDATES):
            integrity_lines.append("Ajouts après signature : données de validation ou d'horodatage seulement.")
        elif level == ModificationLevel.FORM_FILLING and status.docmdp_ok:
            integrity_lines.append("Ajouts après signature : autres signatures ou champs de formulaire, permis.")
        else:
            modified = True
            integrity_lines.append("Modifié après signature : le contenu du document a changé après cette signature.")
    else:
        integrity_lines.append("Modifié après signature : non.")
    points.append(_point(5, not modified, integrity_lines))

    if modified:
        verdict = MODIFIED if intact else INVALID
    elif revoked:
        verdict = REVOKED
    elif expired:
        verdict = EXPIRED
    elif not chain_ok:
        verdict = UNTRUSTED
    elif not qualified_by:
        verdict = VALID_NOT_QUALIFIED
    else:
        verdict = VALID_QUALIFIED
    return {
        "index": index,
        "field": str(embedded.field_name or ""),
        "signer": _name_part(subject, "common_name"),
        "organisation": _name_part(subject, "organization_name"),
        "signed_at": signing_time.isoformat() if signing_time else "",
        "timestamped": timestamped,
        "qualified": bool(qualified_by),
        "verdict": verdict,
        "points": points,
    }


def _cms_revocation_archival(signer_info):
    """(crls, ocsps) from the Adobe revocation archival attribute of a CMS signature."""

    try:
        archival = find_unique_cms_attribute(signer_info["signed_attrs"], "adobe_revocation_info_archival")
    except Exception:  # noqa: BLE001  (absent or duplicated: nothing usable)
        return [], []
    crls = [item for item in (archival["crl"] or []) if item is not None] if archival["crl"].native else []
    ocsps = [item for item in (archival["ocsp"] or []) if item is not None] if archival["ocsp"].native else []
    return crls, ocsps
