"""The signed convention returned in the portal, countersigned with the central's seal, and
the public "Vérifier une signature" page, at phone and desktop widths."""

import pytest

from signatures.services import trusted_list_import
from signatures.verification import verify_pdf
from subscriptions import services as subscription_services
from tests.browser.test_layout import DESKTOP, PHONE, log_in, overflow, shoot
from tests.factories.markets import MarketPageFactory
from tests.factories.members import PASSWORD, EstablishmentFactory, StaffFactory, UserFactory
from tests.signatures.conftest import anchors, pki, qualified_pdf  # noqa: F401  (session fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def seal(settings, pki, tmp_path):  # noqa: F811
    path = tmp_path / "cachet.p12"
    path.write_bytes(pki.seal.pkcs12(b"mot-de-passe"))
    settings.SIGNATURES_SEAL_PATH = str(path)
    settings.SIGNATURES_SEAL_PASSWORD = "mot-de-passe"


def test_member_returns_the_signed_convention_staff_seal_it_member_downloads_both_signatures(
    page,
    market_index,
    pki,  # noqa: F811
    anchors,  # noqa: F811
    qualified_pdf,  # noqa: F811
    seal,
):
    trusted_list_import(data=pki.trusted_list_xml(), source="tests")
    market = MarketPageFactory(parent=market_index, title="Multi-éditeurs")
    member = UserFactory(email="agent@nyons.fr")
    establishment = EstablishmentFactory(name="COMMUNE DE NYONS", users=[member])
    subscription_services.subscription_request(user=member, market=market, establishment=establishment)
    staff = StaffFactory(email="equipe@canut.org", first_name="Claire", last_name="Agent")

    page.set_viewport_size(PHONE)
    log_in(page, member.email)
    page.get_by_role("link", name="Gérer mon marché").first.click()  # the dashboard's card
    page.get_by_role("link", name="Déposer la convention signée").click()
    page.set_input_files(
        "#id_file", files=[{"name": "convention.pdf", "mimeType": "application/pdf", "buffer": qualified_pdf}]
    )
    page.get_by_role("button", name="Déposer la convention signée").click()
    page.get_by_text("Votre convention signée a bien été reçue").wait_for()
    page.get_by_text("Signature valide, certificat qualifié").first.wait_for()
    assert page.get_by_text("Signataire : Marie Curie").is_visible()
    assert overflow(page)[0] <= overflow(page)[1]
    shoot(page, "390-signed-convention-report")

    # Staff, in a browser of their own, seal it from the subscription's admin page.
    staff_context = page.context.browser.new_context(base_url=page.url.split("/compte")[0], locale="fr-FR")
    admin = staff_context.new_page()
    admin.set_viewport_size(DESKTOP)
    admin.goto("/compte/connexion/?next=/admin/souscriptions/")
    admin.get_by_label("Adresse e-mail").fill(staff.email)
    admin.get_by_label("Mot de passe").fill(PASSWORD)
    admin.get_by_role("button", name="Connexion").click()
    admin.get_by_role("link", name="Multi-éditeurs").first.click()
    admin.get_by_role("link", name="Contresigner avec le cachet de la CANUT").click()
    admin.get_by_text("Signature valide, certificat qualifié").wait_for()
    shoot(admin, "1280-admin-countersign")
    admin.get_by_label("J'ai lu le rapport de vérification").check()
    admin.get_by_role("button", name="Contresigner avec le cachet de la CANUT").click()
    admin.get_by_text("Cachet apposé").wait_for()
    staff_context.close()

    page.get_by_role("link", name="Retour à « Gérer mon marché »").click()
    page.get_by_text("La CANUT a contresigné votre convention, votre adhésion est finalisée.").wait_for()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger la convention", exact=True).click()
    with open(download_info.value.path(), "rb") as handle:
        finalized = handle.read()
    report = verify_pdf(finalized, anchors=anchors)
    assert [s["signer"] for s in report["signatures"]] == ["Marie Curie", "Cachet CANUT"]
    assert all(s["verdict"] == "Signature valide, certificat qualifié" for s in report["signatures"])


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1280"])
def test_anyone_checks_a_signature_from_the_footer(page, home_page, pki, qualified_pdf, viewport):  # noqa: F811
    trusted_list_import(data=pki.trusted_list_xml(), source="tests")
    page.set_viewport_size(viewport)
    page.goto("/")
    page.get_by_role("link", name="Vérifier une signature").click()
    page.get_by_role("heading", name="Vérifier une signature électronique").wait_for()
    page.set_input_files(
        "#id_file", files=[{"name": "contrat.pdf", "mimeType": "application/pdf", "buffer": qualified_pdf}]
    )
    page.get_by_role("button", name="Vérifier la signature").click()
    page.get_by_role("heading", name="Rapport de vérification").wait_for()
    assert page.get_by_text("Signature valide, certificat qualifié").first.is_visible()
    assert overflow(page)[0] <= overflow(page)[1]
    shoot(page, f"{viewport['width']}-verify-signature")
