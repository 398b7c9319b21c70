"""Which authorities the portal trusts, and which of them issue qualified certificates.

They come from a European trusted list (ETSI TS 119 612 XML: the French list, which names
the "QCert for ESig" services): staff import the file in the admin (or an operator points
SIGNATURES_TRUSTED_LIST_PATH at it, `manage.py import_trusted_list`). The portal never
fetches a list, a CRL or an OCSP answer at request time.

Every certificate of a service whose status is granted (or recognised at national level)
is a trust anchor; a certificate is qualified when its chain goes through a CA/QC service
("CA issuing qualified certificates") with that status. The finer qualifiers of a list
(QcStatements criteria, "ForeSeals" versus "ForeSignatures", the service's history) are not
read: say so to whoever relies on the category.
"""

import base64
import hashlib
from dataclasses import dataclass, field

from lxml import etree

NS = {"tsl": "http://uri.etsi.org/02231/v2#"}
CA_QC = "http://uri.etsi.org/TrstSvc/Svctype/CA/QC"
CA_PKC = "http://uri.etsi.org/TrstSvc/Svctype/CA/PKC"
GRANTED = {
    "http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/granted",
    "http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/recognisedatnationallevel",
}
MAX_LIST_BYTES = 20 * 1024 * 1024  # the French list is a few megabytes


class TrustedListError(ValueError):
    """The file is not a trusted list this portal can read (French message)."""


@dataclass(frozen=True)
class Service:
    name: str
    kind: str
    certificate: bytes  # DER

    @property
    def qualified(self) -> bool:
        return self.kind == CA_QC


@dataclass
class TrustAnchors:
    """Plain data (it crosses into the verification's child process)."""

    services: list[Service] = field(default_factory=list)

    def _split(self):
        """(anchors, intermediates): a listed certificate issued by another listed one is an
        intermediate of its chain, not an anchor (certvalidator then also finds the chain of
        the CRLs that CA signs)."""
        from asn1crypto import x509

        certificates = [x509.Certificate.load(service.certificate) for service in self.services]
        subjects = {certificate.subject.dump() for certificate in certificates}
        anchors, intermediates = [], []
        for certificate in certificates:
            issued_by_listed = certificate.issuer != certificate.subject and certificate.issuer.dump() in subjects
            (intermediates if issued_by_listed else anchors).append(certificate)
        return anchors, intermediates

    def certificates(self):
        return self._split()[0]

    def intermediates(self):
        return self._split()[1]

    def qualified_service_for(self, certificates) -> str:
        """The name of the CA/QC service one of `certificates` (asn1crypto) is, or ""."""
        qualified = {hashlib.sha256(s.certificate).digest(): s.name for s in self.services if s.qualified}
        for certificate in certificates:
            if name := qualified.get(hashlib.sha256(certificate.dump()).digest()):
                return name
        return ""


@dataclass(frozen=True)
class ParsedList:
    territory: str
    operator: str
    sequence: str
    issued_at: str
    next_update: str
    services: list[Service]


def _text(node, path) -> str:
    found = node.find(path, NS)
    return (found.text or "").strip() if found is not None else ""


def parse_trusted_list(data: bytes) -> ParsedList:
    """The granted CA services of a trusted list. No entity, no DTD, no network."""
    if len(data) > MAX_LIST_BYTES:
        raise TrustedListError("Ce fichier est trop volumineux pour une liste de confiance (20 Mo au plus).")
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_comments=True
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError:
        raise TrustedListError("Ce fichier n'est pas un XML lisible.") from None
    if root.tag != f"{{{NS['tsl']}}}TrustServiceStatusList":
        raise TrustedListError("Ce fichier XML n'est pas une liste de confiance (ETSI TS 119 612).")
    scheme = root.find("tsl:SchemeInformation", NS)
    if scheme is None:
        raise TrustedListError("Cette liste de confiance n'a pas d'informations de schéma.")
    services = []
    for service in root.iterfind(".//tsl:TSPService/tsl:ServiceInformation", NS):
        kind = _text(service, "tsl:ServiceTypeIdentifier")
        status = _text(service, "tsl:ServiceStatus")
        if kind not in (CA_QC, CA_PKC) or status not in GRANTED:
            continue
        name = _text(service, "tsl:ServiceName/tsl:Name")
        for node in service.iterfind("tsl:ServiceDigitalIdentity/tsl:DigitalId/tsl:X509Certificate", NS):
            try:
                der = base64.b64decode("".join((node.text or "").split()), validate=True)
                from asn1crypto import x509

                x509.Certificate.load(der).native  # noqa: B018  (parse it now, not at each verification)
            except Exception:  # noqa: BLE001  (one bad certificate does not spoil the list)
                continue
            services.append(Service(name=name[:255], kind=kind, certificate=der))
    if not services:
        raise TrustedListError("Cette liste de confiance ne contient aucun service de certification actif.")
    return ParsedList(
        territory=_text(scheme, "tsl:SchemeTerritory")[:10],
        operator=_text(scheme, "tsl:SchemeOperatorName/tsl:Name")[:255],
        sequence=_text(scheme, "tsl:TSLSequenceNumber")[:20],
        issued_at=_text(scheme, "tsl:ListIssueDateTime"),
        next_update=_text(scheme, "tsl:NextUpdate/tsl:dateTime"),
        services=services,
    )


def trust_anchors() -> TrustAnchors:
    """The services of the trusted list imported last (none: nothing is trusted)."""
    from .models import TrustedList

    current = TrustedList.objects.order_by("-imported_at", "-pk").first()
    if current is None:
        return TrustAnchors()
    return TrustAnchors(
        services=[
            Service(name=s["name"], kind=s["kind"], certificate=base64.b64decode(s["certificate"]))
            for s in current.services
        ]
    )
