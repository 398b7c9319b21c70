"""'Préparer sa souscription': the mode chosen shows its fields (without JavaScript too),
errors speak of that mode only; an existing subscription replaces the form; a pending
establishment is told it waits."""

import datetime
import html

import pytest
from django.urls import reverse
from django.utils import timezone

from members.models import Establishment
from subscriptions import services
from subscriptions.models import Subscription
from tests.factories.groupements import GroupementFactory
from tests.factories.members import EstablishmentFactory, UserFactory

pytestmark = pytest.mark.django_db


def text(response):
    return html.unescape(response.content.decode())


def form_url(market):
    return reverse("subscriptions:subscription_request", args=[market.pk])


@pytest.fixture
def groupement(establishment):
    return GroupementFactory(parent=establishment, status="validated", name="GPT_DROME", members=2)


def panel(page, mode):
    """The opening tag of a mode's panel: `hidden` or not."""
    start = page.index(f'id="mode-panel-{mode}"')
    return page[start : page.index(">", start)]


def test_both_panels_are_in_the_page_and_the_mode_decides_which_shows(member_client, market, groupement):
    page = text(member_client.get(form_url(market)))
    assert "hidden" not in panel(page, "establishment") and "hidden" in panel(page, "groupement")
    assert 'src="/static/js/subscription-mode.js"' in page
    assert "Afficher les champs de ce mode" in page  # the no-JavaScript way, hidden by the script

    page = text(member_client.get(form_url(market), {"mode": "groupement"}))
    assert "hidden" in panel(page, "establishment") and "hidden" not in panel(page, "groupement")
    assert f'name="groupement" value="{groupement.pk}"' in page  # the only groupement is chosen


def test_without_javascript_posting_the_mode_shows_its_fields_and_checks_nothing(member_client, market, groupement):
    response = member_client.post(form_url(market), {"mode": "groupement", "action": "mode"})
    page = text(response)
    assert response.status_code == 200 and not Subscription.objects.exists()
    assert "hidden" not in panel(page, "groupement") and "hidden" in panel(page, "establishment")
    assert "Le formulaire contient des erreurs" not in page
    assert 'id="mode-groupement" name="mode" value="groupement" checked' in page


def test_the_groupement_mode_alone_gives_one_error_about_the_groupement(member, member_client, market, groupement):
    GroupementFactory(parent=EstablishmentFactory(users=[member]), status="validated", name="GPT_AUTRE")
    response = member_client.post(form_url(market), {"mode": "groupement", "association_standing": "member"})
    page = text(response)
    assert response.status_code == 200
    assert "Sélectionnez le groupement pour lequel vous souscrivez." in page
    assert "Sélectionnez l'établissement" not in page
    assert not Subscription.objects.exists()


def test_the_establishment_mode_ignores_the_groupement_posted(member_client, market, establishment, groupement):
    response = member_client.post(
        form_url(market),
        {
            "mode": "establishment",
            "establishment": establishment.pk,
            "groupement": groupement.pk,
            "association_standing": "member",
        },
    )
    assert response.status_code == 302
    subscription = Subscription.objects.get()
    assert subscription.groupement is None and subscription.establishment == establishment


def test_the_groupement_mode_subscribes_the_groupement(member, member_client, market, establishment, groupement):
    other = EstablishmentFactory(name="AUTRE", users=[member])  # posted by the other panel: ignored
    response = member_client.post(
        form_url(market),
        {
            "mode": "groupement",
            "groupement": groupement.pk,
            "establishment": other.pk,
            "association_standing": "member",
        },
    )
    assert response.status_code == 302
    subscription = Subscription.objects.get()
    assert subscription.groupement == groupement and subscription.establishment == establishment


def test_a_subscribed_market_shows_the_subscription_instead_of_the_form(member, member_client, market, establishment):
    subscription = services.subscription_request(
        user=member, market=market, establishment=establishment, association_standing="member"
    ).subscription
    page = text(member_client.get(form_url(market)))
    detail = reverse("subscriptions:subscription_detail", args=[subscription.pk])
    assert "a déjà une souscription à ce marché" in page
    assert f'href="{detail}">Voir la souscription' in page
    assert "Soumettre" not in page and 'name="association_standing"' not in page


def test_a_pending_establishment_is_told_it_waits_and_since_when(client, market):
    user = UserFactory()
    pending = EstablishmentFactory(status="pending", users=[user], name="COMMUNE DE VINSOBRES")
    Establishment.objects.filter(pk=pending.pk).update(
        created_at=timezone.make_aware(datetime.datetime(2026, 3, 2, 10))
    )
    client.force_login(user)
    page = text(client.get(form_url(market)))
    assert "<strong>COMMUNE DE VINSOBRES</strong> attend la validation de la CANUT depuis le 2 mars 2026" in page
    assert "Vous recevrez un e-mail dès qu'il sera validé" in page
    assert "aucun établissement validé" not in page and "Soumettre" not in page


def test_each_status_has_its_next_step_and_the_header_its_latest_date(member, member_client, market, establishment):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.factories.subscriptions import pdf_bytes

    subscription = services.subscription_request(
        user=member, market=market, establishment=establishment, association_standing="member"
    ).subscription
    Subscription.objects.filter(pk=subscription.pk).update(sent_on=datetime.date(2026, 3, 2))
    detail = reverse("subscriptions:subscription_detail", args=[subscription.pk])
    page = text(member_client.get(detail))
    assert "<dt>Convention envoyée le</dt><dd>02/03/2026</dd>" in page
    assert "Prochaine étape : complétez, datez et signez" in page

    services.subscription_mark_received(subscription=Subscription.objects.get(pk=subscription.pk))
    subscription.refresh_from_db()
    page = text(member_client.get(detail))
    assert f"<dt>Convention reçue le</dt><dd>{subscription.received_on:%d/%m/%Y}</dd>" in page
    assert "Convention envoyée le</dt>" not in page
    assert "Prochaine étape : la CANUT contresigne la convention reçue le" in page
    assert "renvoyez-la" not in page

    services.subscription_finalize(subscription=subscription, countersigned=SimpleUploadedFile("c.pdf", pdf_bytes()))
    subscription.refresh_from_db()
    page = text(member_client.get(detail))
    assert f"<dt>Convention finalisée le</dt><dd>{subscription.finalized_on:%d/%m/%Y}</dd>" in page
    assert "Votre adhésion est finalisée depuis le" in page
    assert "renvoyez-la" not in page and "contresigne la convention reçue" not in page
