"""A small test PKI built with `cryptography`, and real PDFs signed with pyHanko.

Root "Racine de test" → "AC qualifiée de test" (listed as CA/QC in the test trusted list)
and "AC non listée" (under the listed root, not qualified); an "AC inconnue" self-signed
root nobody trusts; a TSA; leaves for each case (valid, revoked with its CRL, expired).
"""

import base64
import datetime
import io
from dataclasses import dataclass, field
from functools import cached_property

from asn1crypto import crl as asn1_crl
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko_certvalidator.registry import SimpleCertificateStore
from pypdf import PdfWriter

from signatures.seal import run_coroutine

NOW = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
DAY = datetime.timedelta(days=1)


def _name(common_name, organisation="CANUT Test PKI"):
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "FR"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


@dataclass
class Identity:
    cert: x509.Certificate
    key: object  # an EC or RSA private key
    chain: list = field(default_factory=list)  # issuers up to (not including) the root

    @property
    def der(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.DER)

    @property
    def asn1(self):
        return asn1_x509.Certificate.load(self.der)

    @property
    def asn1_key(self):
        der = self.key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        return asn1_keys.PrivateKeyInfo.load(der)

    def pkcs12(self, password: bytes) -> bytes:
        return pkcs12.serialize_key_and_certificates(
            b"cachet",
            self.key,
            self.cert,
            [issuer.cert for issuer in self.chain],
            serialization.BestAvailableEncryption(password),
        )


def issue(
    common_name,
    *,
    issuer: Identity | None = None,
    ca=False,
    organisation="CANUT Test PKI",
    not_before=None,
    not_after=None,
    eku=None,
    crl_url=None,
    rsa_key=False,
) -> Identity:
    # pyHanko's test timestamper signs with RSA only.
    key = rsa.generate_private_key(65537, 2048) if rsa_key else ec.generate_private_key(ec.SECP256R1())
    subject = _name(common_name, organisation)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer.cert.subject if issuer else subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before or NOW - 30 * DAY)
        .not_valid_after(not_after or NOW + 365 * DAY)
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )
    if issuer:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()), critical=False
        )
    if ca:
        usage = dict(key_cert_sign=True, crl_sign=True, digital_signature=False, content_commitment=False)
    else:
        usage = dict(key_cert_sign=False, crl_sign=False, digital_signature=True, content_commitment=True)
    builder = builder.add_extension(
        x509.KeyUsage(
            key_encipherment=False, data_encipherment=False, key_agreement=False,
            encipher_only=False, decipher_only=False, **usage,
        ),
        critical=True,
    )  # fmt: skip
    if eku:
        builder = builder.add_extension(x509.ExtendedKeyUsage(eku), critical=True)
    if crl_url:
        builder = builder.add_extension(
            x509.CRLDistributionPoints(
                [x509.DistributionPoint([x509.UniformResourceIdentifier(crl_url)], None, None, None)]
            ),
            critical=False,
        )
    cert = builder.sign((issuer or Identity(None, key)).key, hashes.SHA256())
    return Identity(cert=cert, key=key, chain=([issuer, *issuer.chain] if issuer else []))


def crl(issuer: Identity, revoked: list[Identity]) -> bytes:
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(issuer.cert.subject)
        .last_update(NOW - DAY)
        .next_update(NOW + 30 * DAY)
        .add_extension(x509.CRLNumber(1), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()), critical=False)
    )
    for identity in revoked:
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder()
            .serial_number(identity.cert.serial_number)
            .revocation_date(NOW - 2 * DAY)
            .build()
        )
    return builder.sign(issuer.key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)


CRL_URL = "http://pki.invalid/qualifiee.crl"


class TestPKI:
    def __init__(self):
        self.root = issue("Racine de test", ca=True)
        self.qualified_ca = issue("AC qualifiée de test", issuer=self.root, ca=True)
        self.unlisted_ca = issue("AC non listée", issuer=self.root, ca=True)
        self.unknown_root = issue("AC inconnue", ca=True, organisation="Ailleurs")
        self.tsa = issue("Horodatage de test", issuer=self.root, eku=[ExtendedKeyUsageOID.TIME_STAMPING], rsa_key=True)
        self.qualified = issue("Marie Curie", issuer=self.qualified_ca, organisation="Mairie de Lyon", crl_url=CRL_URL)
        self.not_qualified = issue("Paul Martin", issuer=self.unlisted_ca, organisation="Mairie de Lyon")
        self.untrusted = issue("Eve Inconnue", issuer=self.unknown_root, organisation="Ailleurs")
        self.expired = issue(
            "Jean Périmé",
            issuer=self.qualified_ca,
            organisation="Mairie de Lyon",
            not_before=NOW - 400 * DAY,
            not_after=NOW - 10 * DAY,
        )
        self.revoked = issue("Rémi Révoqué", issuer=self.qualified_ca, organisation="Mairie de Lyon", crl_url=CRL_URL)
        self.seal = issue("Cachet CANUT", issuer=self.qualified_ca, organisation="CANUT")

    @cached_property
    def revocation_list(self) -> bytes:
        return crl(self.qualified_ca, [self.revoked])

    def trusted_list_xml(self) -> bytes:
        """A small trusted list (ETSI TS 119 612 shape): the root as CA/PKC, the qualified CA as CA/QC."""
        return trusted_list_xml(
            [
                ("Racine de test", "http://uri.etsi.org/TrstSvc/Svctype/CA/PKC", self.root.der),
                ("AC qualifiée de test", "http://uri.etsi.org/TrstSvc/Svctype/CA/QC", self.qualified_ca.der),
            ]
        )

    def timestamper(self):
        return DummyTimeStamper(tsa_cert=self.tsa.asn1, tsa_key=self.tsa.asn1_key, certs_to_embed=[self.root.asn1])


def trusted_list_xml(services) -> bytes:
    entries = "".join(
        f"""<TSPService><ServiceInformation>
  <ServiceTypeIdentifier>{kind}</ServiceTypeIdentifier>
  <ServiceName><Name xml:lang="fr">{name}</Name></ServiceName>
  <ServiceDigitalIdentity><DigitalId><X509Certificate>{base64.b64encode(der).decode()}</X509Certificate></DigitalId></ServiceDigitalIdentity>
  <ServiceStatus>http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/granted</ServiceStatus>
  <StatusStartingTime>2020-01-01T00:00:00Z</StatusStartingTime>
  <ServiceInformationExtensions><Extension Critical="false"><AdditionalServiceInformation>
    <URI xml:lang="en">http://uri.etsi.org/TrstSvc/TrustedList/SvcInfoExt/ForeSignatures</URI>
  </AdditionalServiceInformation></Extension></ServiceInformationExtensions>
</ServiceInformation></TSPService>"""
        for name, kind, der in services
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<TrustServiceStatusList xmlns="http://uri.etsi.org/02231/v2#" TSLTag="http://uri.etsi.org/19612/TSLTag">
<SchemeInformation>
  <TSLVersionIdentifier>5</TSLVersionIdentifier>
  <TSLSequenceNumber>42</TSLSequenceNumber>
  <SchemeOperatorName><Name xml:lang="fr">Liste de test</Name></SchemeOperatorName>
  <SchemeTerritory>FR</SchemeTerritory>
  <ListIssueDateTime>2026-11-01T00:00:00Z</ListIssueDateTime>
  <NextUpdate><dateTime>2027-05-01T00:00:00Z</dateTime></NextUpdate>
</SchemeInformation>
<TrustServiceProviderList><TrustServiceProvider>
  <TSPInformation><TSPName><Name xml:lang="fr">Prestataire de test</Name></TSPName></TSPInformation>
  <TSPServices>{entries}</TSPServices>
</TrustServiceProvider></TrustServiceProviderList>
</TrustServiceStatusList>""".encode()


def blank_pdf(pages=1, text="Convention de mise à disposition") -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": text})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def sign_pdf(
    pdf: bytes,
    identity: Identity,
    *,
    field_name="Signature1",
    timestamper=None,
    embed_revocation: bytes | None = None,
) -> bytes:
    """`pdf` signed (PAdES) by `identity`, as an incremental update."""
    signer = signers.SimpleSigner(
        signing_cert=identity.asn1,
        signing_key=identity.asn1_key,
        cert_registry=SimpleCertificateStore.from_certs([issuer.asn1 for issuer in identity.chain]),
    )
    meta = signers.PdfSignatureMetadata(field_name=field_name, subfilter=fields.SigSeedSubFilter.PADES)
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    pdf_signer = signers.PdfSigner(meta, signer=signer, timestamper=timestamper)
    out = run_coroutine(pdf_signer.async_sign_pdf(writer))
    if embed_revocation is None:
        return out.getvalue()
    # pyHanko refuses to embed the CRL of a revoked signer: the DSS is added as a
    # PAdES validation update afterwards, as a later LTV step would.
    reader = PdfFileReader(out)
    contents = reader.embedded_signatures[-1].pkcs7_content
    writer = IncrementalPdfFileWriter(out)
    DocumentSecurityStore.supply_dss_in_writer(
        writer,
        contents,
        certs=[issuer.asn1 for issuer in identity.chain],
        crls=[asn1_crl.CertificateList.load(embed_revocation)],
    )
    final = io.BytesIO()
    writer.write(final)
    return final.getvalue()


def append_update(pdf: bytes) -> bytes:
    """An incremental update that changes a page's content after signing (not allowed)."""
    from pyhanko.pdf_utils import generic

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    page_ref = writer.root["/Pages"]["/Kids"][0]
    page = page_ref.get_object()
    stream = generic.StreamObject(stream_data=b"BT /F1 24 Tf 100 700 Td (Montant : 1 000 000 EUR) Tj ET")
    page["/Contents"] = writer.add_object(stream)
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
