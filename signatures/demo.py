"""Demo data for signatures (load_demo): a demo PKI generated under VAR_DIR (never in the
repository), its trusted list imported, the central's demo seal, and the demo member's
subscription carrying a convention signed with a "qualified" demo certificate, waiting
for staff to countersign. Idempotent: the PKI is generated once, the rest is reused.
"""

import asyncio
import base64
import datetime
import io
import secrets
import threading
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone

from markets.models import MarketPage
from members.models import Establishment, User
from subscriptions import permissions
from subscriptions.models import AssociationStanding, Subscription

from .models import SignedConvention, TrustedList
from .services import trusted_list_import
from .trust import CA_PKC, CA_QC
from .verification import verify_pdf

DEMO_MEMBER = "adherent.demo@canut.org"
DEMO_SIRET = "21260210600016"
DEMO_MARKET = "microsoft-et-alternatives"
SEAL_PASSWORD_FILE = "cachet-demo.motdepasse"


def demo_dir() -> Path:
    return Path(settings.VAR_DIR) / "demo-signatures"


def _name(common_name, organisation):
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "FR"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _issue(common_name, organisation, *, issuer=None, ca=False):
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.datetime.now(datetime.UTC)
    subject = _name(common_name, organisation)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer[0].subject if issuer else subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=3 * 365))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.KeyUsage(
                digital_signature=not ca, content_commitment=not ca, key_encipherment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=ca, crl_sign=ca,
                encipher_only=False, decipher_only=False,
            ),
            critical=True,
        )
    )  # fmt: skip
    if issuer:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer[1].public_key()), critical=False
        )
    return builder.sign(issuer[1] if issuer else key, hashes.SHA256()), key


def _der(certificate) -> bytes:
    return certificate.public_bytes(serialization.Encoding.DER)


def _trusted_list(services) -> bytes:
    entries = "".join(
        f"<TSPService><ServiceInformation><ServiceTypeIdentifier>{kind}</ServiceTypeIdentifier>"
        f'<ServiceName><Name xml:lang="fr">{name}</Name></ServiceName>'
        "<ServiceDigitalIdentity><DigitalId><X509Certificate>"
        f"{base64.b64encode(der).decode()}</X509Certificate></DigitalId></ServiceDigitalIdentity>"
        "<ServiceStatus>http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/granted</ServiceStatus>"
        "</ServiceInformation></TSPService>"
        for name, kind, der in services
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<TrustServiceStatusList xmlns="http://uri.etsi.org/02231/v2#"><SchemeInformation>'
        "<TSLSequenceNumber>1</TSLSequenceNumber>"
        '<SchemeOperatorName><Name xml:lang="fr">Liste de démonstration CANUT</Name></SchemeOperatorName>'
        "<SchemeTerritory>FR</SchemeTerritory>"
        f"<ListIssueDateTime>{timezone.now():%Y-%m-%dT%H:%M:%SZ}</ListIssueDateTime></SchemeInformation>"
        f"<TrustServiceProviderList><TrustServiceProvider><TSPServices>{entries}</TSPServices>"
        "</TrustServiceProvider></TrustServiceProviderList></TrustServiceStatusList>"
    ).encode()


def ensure_pki() -> dict:
    """The demo PKI files under VAR_DIR/demo-signatures/, generated on the first run."""
    folder = demo_dir()
    paths = {
        "seal": folder / "cachet-demo.p12",
        "password": folder / SEAL_PASSWORD_FILE,
        "member": folder / "signataire-demo.p12",
        "trusted_list": folder / "liste-de-confiance-demo.xml",
    }
    if all(path.exists() for path in paths.values()):
        return paths
    folder.mkdir(parents=True, exist_ok=True)
    root = _issue("Racine de démonstration CANUT", "CANUT (démonstration)", ca=True)
    qualified = _issue("AC qualifiée de démonstration", "CANUT (démonstration)", issuer=root, ca=True)
    seal = _issue("Cachet CANUT (démonstration)", "CANUT", issuer=qualified)
    member = _issue("Camille Adhérente", "COMMUNE DE NYONS", issuer=qualified)
    password = secrets.token_urlsafe(16)
    for path, (certificate, key), secret in (
        (paths["seal"], seal, password.encode()),
        (paths["member"], member, password.encode()),
    ):
        path.write_bytes(
            pkcs12.serialize_key_and_certificates(
                b"demo", key, certificate, [qualified[0], root[0]], serialization.BestAvailableEncryption(secret)
            )
        )
        path.chmod(0o600)
    paths["password"].write_text(password)
    paths["password"].chmod(0o600)
    paths["trusted_list"].write_bytes(
        _trusted_list(
            [
                ("Racine de démonstration CANUT", CA_PKC, _der(root[0])),
                ("AC qualifiée de démonstration", CA_QC, _der(qualified[0])),
            ]
        )
    )
    return paths


def _convention_pdf(market: MarketPage, establishment: Establishment) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    page.setTitle("Convention de mise à disposition")
    page.setFont("Helvetica-Bold", 16)
    page.drawString(60, 780, "Convention de mise à disposition")
    page.setFont("Helvetica", 11)
    for index, line in enumerate(
        [
            f"Marché : {market.title}",
            f"Établissement : {establishment.name} (SIRET {establishment.siret})",
            "Signée électroniquement par Camille Adhérente (certificat de démonstration).",
        ]
    ):
        page.drawString(60, 740 - 18 * index, line)
    page.showPage()
    page.save()
    return buffer.getvalue()


def _sign(pdf: bytes, p12: Path, password: str) -> bytes:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    signer = signers.SimpleSigner.load_pkcs12(str(p12), passphrase=password.encode())
    meta = signers.PdfSignatureMetadata(field_name="Signature1", subfilter=fields.SigSeedSubFilter.PADES)
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    outcome = {}

    def target():  # pyHanko's asyncio, on a thread of its own
        outcome["value"] = asyncio.run(signers.PdfSigner(meta, signer=signer).async_sign_pdf(writer))

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    return outcome["value"].getvalue()


def ensure_signatures() -> list[str]:
    """Returns the lines load_demo prints: where the demo seal lives, how to use it."""
    paths = ensure_pki()
    password = paths["password"].read_text().strip()
    source = f"Démonstration : {paths['trusted_list']}"
    if not TrustedList.objects.filter(source=source[:255]).exists():
        trusted_list_import(data=paths["trusted_list"].read_bytes(), source=source)

    member = User.objects.filter(email__iexact=DEMO_MEMBER).first()
    establishment = Establishment.objects.filter(siret=DEMO_SIRET).first()
    market = MarketPage.objects.filter(slug=DEMO_MARKET).first()
    if member and establishment and market:
        subscription = Subscription.objects.live().filter(market=market, establishment=establishment).first()
        if subscription is None:
            today = timezone.localdate()
            subscription = Subscription.objects.create(
                market=market,
                establishment=establishment,
                requested_by=member,
                association_standing=AssociationStanding.MEMBER,
                sent_on=today - datetime.timedelta(days=6),
                received_on=today - datetime.timedelta(days=1),
            )
            permissions.market_grant(market=market, establishment=establishment)
        if not SignedConvention.objects.filter(subscription=subscription).exists() and not subscription.finalized_on:
            signed_pdf = _sign(_convention_pdf(market, establishment), paths["member"], password)
            report = verify_pdf(signed_pdf)
            signed = SignedConvention(
                subscription=subscription,
                original_name="convention-signee-nyons.pdf",
                uploaded_by=member,
                verdict=report["verdict"],
                report=report,
            )
            signed.file.save("convention.pdf", ContentFile(signed_pdf), save=False)
            signed.save()
    return [
        f"Cachet de démonstration de la CANUT : {paths['seal']} (généré ici, jamais versionné)",
        f"  scripts/demo le donne au portail ; sinon : SIGNATURES_SEAL_PATH={paths['seal']} "
        f"SIGNATURES_SEAL_PASSWORD=$(cat {paths['password']})",
        f"Liste de confiance de démonstration importée : {paths['trusted_list']}",
        f"Convention signée à contresigner : {DEMO_MEMBER}, marché « {DEMO_MARKET} »",
    ]
