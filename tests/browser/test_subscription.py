"""From "Préparer sa souscription" to a restricted piece, then the countersigned convention."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from markets.access import Audience
from subscriptions import services
from subscriptions.models import Subscription
from tests.factories.markets import MarketDocumentFactory, MarketPageFactory, piece
from tests.factories.members import PASSWORD, EstablishmentFactory, UserFactory
from tests.factories.subscriptions import blank_convention_document, pdf_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_member_subscribes_downloads_a_piece_then_the_countersigned_convention(live_server, market_index, page):
    blank = blank_convention_document(title="Convention à compléter")
    ccap = MarketDocumentFactory(title="CCAP")
    MarketPageFactory(
        parent=market_index,
        title="Multi-éditeurs",
        documents=[piece(ccap, "ccap", Audience.SUBSCRIBERS), piece(blank, "convention", Audience.SUBSCRIBERS)],
    )
    member = UserFactory(email="agent@nyons.fr")
    EstablishmentFactory(name="COMMUNE DE NYONS", users=[member])
    base = live_server.url

    # Before subscribing, the restricted piece is refused.
    assert page.request.get(base + blank.url, max_redirects=0).status in (302, 403)

    page.goto(base + market_index.url)
    page.get_by_role("link", name="Préparer sa souscription — Multi-éditeurs (connexion requise)").click()
    page.fill("#id_username", member.email)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Connexion").click()

    page.get_by_role("heading", name="Mon adhésion").wait_for()
    assert page.locator("#est-name").input_value() == "COMMUNE DE NYONS"
    assert page.get_by_text("Cette action n'engage pas votre établissement auprès de la CANUT.").is_visible()
    page.get_by_label("Mon établissement souhaite adhérer à l'association CANUT").check()
    page.get_by_role("button", name="Soumettre").click()

    page.get_by_text("Votre demande de souscription a bien été prise en compte.").wait_for()
    assert page.get_by_text("Souscription en cours").is_visible()
    page.get_by_role("link", name="Gérer mon marché").first.click()
    page.get_by_role("heading", name="Statut de mon adhésion").wait_for()

    page.get_by_role("link", name="Pièces du marché").click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Convention à compléter").click()
    with open(download_info.value.path(), "rb") as handle, blank.file.open("rb") as original:
        assert handle.read() == original.read()

    # Staff countersigns (the back-office runs the same service).
    subscription = Subscription.objects.get()
    services.subscription_finalize(
        subscription=subscription, countersigned=SimpleUploadedFile("signee.pdf", pdf_bytes())
    )

    page.get_by_role("link", name="Mon adhésion").click()
    page.get_by_text("La CANUT a contresigné votre convention, votre adhésion est finalisée.").wait_for()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger la convention", exact=True).click()
    with open(download_info.value.path(), "rb") as handle:
        assert handle.read() == pdf_bytes()


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_the_groupement_radio_shows_the_groupement_fields(live_server, market_index, page, javascript):
    from django.urls import reverse

    from tests.factories.groupements import GroupementFactory

    market = MarketPageFactory(parent=market_index, title="Multi-éditeurs")
    member = UserFactory(email="agent@nyons.fr")
    parent = EstablishmentFactory(name="COMMUNE DE NYONS", users=[member])
    groupement = GroupementFactory(parent=parent, status="validated", name="GPT_DROME", members=2)
    if not javascript:
        page.goto(market.url)  # audited by axe, which needs JavaScript, before it is turned off
        context = page.context.browser.new_context(base_url=live_server.url, locale="fr-FR", java_script_enabled=False)
        page = context.new_page()
        page.set_default_timeout(15_000)
    page.goto(reverse("members:login") + "?next=" + reverse("subscriptions:subscription_request", args=[market.pk]))
    page.fill("#id_username", member.email)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    page.get_by_role("heading", name="Mon adhésion").wait_for()

    groupement_panel = page.locator("#mode-panel-groupement")
    establishment_panel = page.locator("#mode-panel-establishment")
    assert establishment_panel.is_visible() and not groupement_panel.is_visible()
    page.get_by_label("Pour un groupement").check()
    apply = page.get_by_role("button", name="Afficher les champs de ce mode")
    if javascript:
        assert not apply.is_visible()  # the radio switches at once
    else:
        apply.click()
    groupement_panel.wait_for(state="visible")
    assert not establishment_panel.is_visible()
    assert page.locator("#grp-name").input_value() == "COMMUNE DE NYONS"
    assert page.get_by_text("GPT_DROME").first.is_visible()

    page.get_by_label("Mon établissement est déjà adhérent de l'association CANUT").check()
    page.get_by_role("button", name="Soumettre").click()
    page.get_by_text("Votre demande de souscription a bien été prise en compte.").wait_for()
    subscription = Subscription.objects.get()
    assert subscription.groupement == groupement and subscription.establishment == parent
    if not javascript:
        context.close()
