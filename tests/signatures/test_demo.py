"""The demo: the demo member's subscription carries a signed convention, the demo seal
lives under VAR_DIR (printed), and it countersigns."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from signatures.models import SignedConvention
from signatures.services import signed_convention_countersign
from signatures.verification import verify_pdf

pytestmark = pytest.mark.django_db


def test_demo_member_has_a_signed_convention_and_the_demo_seal_countersigns_it(settings):
    out = StringIO()
    call_command("load_demo", "--force", "--skip-index", stdout=out)
    call_command("load_demo", "--force", "--skip-index", stdout=StringIO())  # idempotent
    signed = SignedConvention.objects.get(subscription__establishment__users__email="adherent.demo@canut.org")
    assert signed.verdict == "Signature valide, certificat qualifié"
    seal = Path(settings.VAR_DIR) / "demo-signatures" / "cachet-demo.p12"
    assert f"Cachet de démonstration de la CANUT : {seal}" in out.getvalue()
    assert not seal.resolve().is_relative_to(Path(settings.BASE_DIR) / "signatures")

    settings.SIGNATURES_SEAL_PATH = str(seal)
    settings.SIGNATURES_SEAL_PASSWORD = (seal.parent / "cachet-demo.motdepasse").read_text()
    subscription = signed.subscription
    signed_convention_countersign(subscription=subscription, by=None)
    subscription.refresh_from_db()
    with subscription.countersigned_convention.open("rb") as handle:
        report = verify_pdf(handle.read())
    assert report["verdict"] == "2 signatures valides, certificats qualifiés"
