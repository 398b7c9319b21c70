import html
import io

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from subscriptions import services
from subscriptions.models import Subscription
from tests.downloads import assert_private_download
from tests.factories.members import EstablishmentFactory, UserFactory
from tests.markets.test_market_page import pieces_outline

pytestmark = pytest.mark.django_db


def html_text(response):
    """The page with entities decoded, as a reader sees it (apostrophes may come escaped)."""
    return html.unescape(response.content.decode())


def form_url(market):
    return reverse("subscriptions:subscription_request", args=[market.pk])


def submit(client, market, establishment, standing="member"):
    return client.post(
        form_url(market), {"mode": "establishment", "establishment": establishment.pk, "association_standing": standing}
    )


def test_urls_are_under_compte(market):
    assert reverse("subscriptions:dashboard") == "/compte/tableau-de-bord/"
    assert reverse("subscriptions:my_markets") == "/compte/marches/"
    assert form_url(market) == f"/compte/marches/{market.pk}/souscrire/"


def test_catalogue_and_market_page_lead_to_the_form(client, member, market, market_index):
    login = reverse("members:login")
    assert f'href="{login}?next=/compte/marches/{market.pk}/souscrire/"' in html_text(client.get(market_index.url))
    client.force_login(member)
    assert f'href="{form_url(market)}"' in html_text(client.get(market_index.url))
    assert f'href="{form_url(market)}"' in html_text(client.get(market.url))


def test_form_prefills_the_only_establishment(member_client, market, establishment):
    html = html_text(member_client.get(form_url(market)))
    for text in (
        "Mon adhésion",
        "Mode d'adhésion",
        "Pour un établissement",
        "Pour un groupement",
        "Votre compte est associé à 1 établissement(s).",
        "Soumettre",
        "Cette action n'engage pas votre établissement auprès de la CANUT.",
        f'value="{establishment.siret}"',
        f'value="{establishment.siren}"',
        'value="84.11Z"',
        f'value="{establishment.chorus_code}"',
        'value="COMMUNE DE NYONS"',
        "déjà adhérent de l'association",
    ):
        assert text in html, text
    assert 'id="mode-groupement" name="mode" value="groupement" disabled' in html


def test_several_establishments_are_chosen_by_link(member, member_client, market, establishment):
    other = EstablishmentFactory(name="SYNDICAT DES EAUX", users=[member])
    html = html_text(member_client.get(form_url(market)))
    assert "Votre compte est associé à 2 établissement(s)." in html
    assert f'href="?mode=establishment&etablissement={other.pk}"' in html
    assert 'name="establishment"' not in html  # nothing chosen yet
    html = html_text(member_client.get(form_url(market) + f"?etablissement={other.pk}"))
    assert f'name="establishment" value="{other.pk}"' in html and f'value="{other.siret}"' in html


def test_journey_from_the_form_to_gerer_mon_marche(
    member, member_client, colleague, market, establishment, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = submit(member_client, market, establishment, standing="joining")
    assert response.status_code == 302 and response.url == reverse("subscriptions:my_markets")
    subscription = Subscription.objects.get()
    assert subscription.association_standing == "joining"
    assert len(mail.outbox) == 1 and mail.outbox[0].attachments[0][0].endswith(".docx")

    html = html_text(member_client.get(response.url))
    assert "Votre demande de souscription a bien été prise en compte." in html
    assert "message--success" in html
    assert "Souscription en cours" in html
    assert "Mode d'adhésion" in html and "COMMUNE DE NYONS - 26110" in html
    detail = reverse("subscriptions:subscription_detail", args=[subscription.pk])
    assert f'href="{detail}"' in html and "Gérer mon marché" in html

    html = html_text(member_client.get(detail))
    assert "Statut de mon adhésion" in html
    assert f"Convention envoyée [{subscription.sent_on:%d/%m/%Y}]" in html
    assert "Il ne vous reste plus qu'à la compléter, dater, signer et nous la renvoyer." in html
    assert "Votre souscription au marché est en cours." in html
    assert "Télécharger la convention</a>" not in html  # not finalized yet
    # The market page now offers "Gérer mon marché" to every user of the establishment.
    colleague_client = Client()
    colleague_client.force_login(colleague)
    page = html_text(colleague_client.get(market.url))
    assert reverse("subscriptions:market_manage", args=[market.pk]) in page
    assert colleague_client.get(reverse("subscriptions:market_manage", args=[market.pk])).url == detail


def test_asking_again_or_double_click_shows_the_existing_one(member_client, market, establishment):
    first = submit(member_client, market, establishment)
    second = submit(member_client, market, establishment)
    subscription = Subscription.objects.get()
    assert first.url == reverse("subscriptions:my_markets")
    assert second.url == reverse("subscriptions:subscription_detail", args=[subscription.pk])
    assert "déjà une souscription" in html_text(member_client.get(second.url))
    assert "déjà une souscription à ce marché" in html_text(member_client.get(form_url(market)))


def test_anonymous_goes_to_login(client, market):
    response = client.get(form_url(market))
    assert response.status_code == 302
    assert response.url == f"{reverse('members:login')}?next={form_url(market)}"
    response = client.post(form_url(market), {})
    assert response.status_code == 302 and not Subscription.objects.exists()


@pytest.mark.parametrize("status", ["pending", "rejected"])
def test_account_not_validated_cannot_subscribe(client, market, status):
    user = UserFactory(status=status)
    establishment = EstablishmentFactory(users=[user])
    client.force_login(user)
    # Its session does not authenticate (members.backends): the login page, nothing saved.
    response = client.get(form_url(market))
    assert response.status_code == 302 and response.url.startswith(reverse("members:login"))
    response = submit(client, market, establishment)
    assert response.status_code == 302 and response.url.startswith(reverse("members:login"))
    assert not Subscription.objects.exists()


def test_establishment_not_theirs_is_404(member_client, market, establishment):
    foreign = EstablishmentFactory(name="AUTRE COMMUNE")
    assert member_client.get(form_url(market) + f"?etablissement={foreign.pk}").status_code == 404
    assert submit(member_client, market, foreign).status_code == 404
    assert member_client.get(form_url(market) + "?etablissement=abc").status_code == 404
    assert not Subscription.objects.exists()


def test_establishment_awaiting_validation_is_404(member, member_client, market):
    pending = EstablishmentFactory(status="pending", users=[member])
    assert submit(member_client, market, pending).status_code == 404


def test_no_validated_establishment_says_so(client, market):
    user = UserFactory()
    client.force_login(user)
    html = html_text(client.get(form_url(market)))
    assert "aucun établissement validé" in html and "/compte/etablissements/" in html


def test_unknown_or_draft_market_is_404(member_client, market, establishment):
    assert member_client.get(reverse("subscriptions:subscription_request", args=[999999])).status_code == 404
    market.unpublish()
    assert submit(member_client, market, establishment).status_code == 404


def test_missing_choices_show_french_errors(member_client, market, establishment):
    response = member_client.post(form_url(market), {"mode": "establishment", "establishment": establishment.pk})
    assert response.status_code == 200
    assert "Indiquez si votre établissement est adhérent" in html_text(response)
    response = member_client.post(
        form_url(market), {"mode": "groupement", "establishment": establishment.pk, "association_standing": "member"}
    )
    assert "groupements" in html_text(response)
    assert not Subscription.objects.exists()


def test_csrf_is_enforced(member, market, establishment):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    response = submit(client, market, establishment)
    assert response.status_code == 403
    assert not Subscription.objects.exists()
    page = client.get(form_url(market))
    token = page.cookies["csrftoken"].value
    response = client.post(
        form_url(market),
        {
            "mode": "establishment",
            "establishment": establishment.pk,
            "association_standing": "member",
            "csrfmiddlewaretoken": token,
        },
    )
    assert response.status_code == 302 and Subscription.objects.count() == 1


def test_statuses_as_the_member_sees_them(member, member_client, market, establishment):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.factories.subscriptions import pdf_bytes

    subscription = services.subscription_request(user=member, market=market, establishment=establishment).subscription
    detail = reverse("subscriptions:subscription_detail", args=[subscription.pk])
    services.subscription_mark_received(subscription=subscription)
    html = html_text(member_client.get(detail))
    assert f"Convention reçue [{subscription.received_on:%d/%m/%Y}]" in html
    assert "La contresignature CANUT est en cours." in html

    services.subscription_finalize(subscription=subscription, countersigned=SimpleUploadedFile("c.pdf", pdf_bytes()))
    html = html_text(member_client.get(detail))
    assert f"Convention finalisée [{subscription.finalized_on:%d/%m/%Y}]" in html
    assert "La CANUT a contresigné votre convention, votre adhésion est finalisée." in html
    assert "Souscription finalisée" in html
    countersigned = reverse("subscriptions:subscription_countersigned", args=[subscription.pk])
    assert f'href="{countersigned}">Télécharger la convention</a>' in html
    response = member_client.get(countersigned)
    filename = subscription.countersigned_convention.name.rsplit("/", 1)[-1]
    assert assert_private_download(response, filename) == pdf_bytes()

    html = html_text(member_client.get(reverse("subscriptions:my_markets")))
    assert "Souscription finalisée" in html and f"Date d'adhésion</dt><dd>{subscription.finalized_on:%d/%m/%Y}" in html

    services.subscription_cancel(subscription=subscription, reason="Fin de besoin")
    assert member_client.get(detail).status_code == 404
    assert member_client.get(countersigned).status_code == 404
    assert "Logiciels d'occasion" not in html_text(member_client.get(reverse("subscriptions:my_markets")))


def test_the_convention_sent_downloads_privately_and_a_lost_file_is_a_404(member_client, member, market, establishment):
    subscription = services.subscription_request(user=member, market=market, establishment=establishment).subscription
    url = reverse("subscriptions:subscription_convention", args=[subscription.pk])
    filename = subscription.convention.name.rsplit("/", 1)[-1]
    assert filename.endswith(".docx")
    body = assert_private_download(member_client.get(url), filename)
    subscription.convention.open("rb")
    assert body == subscription.convention.read()
    subscription.convention.close()

    subscription.convention.storage.delete(subscription.convention.name)  # a restore without its files
    assert member_client.get(url).status_code == 404


def test_conventions_are_only_for_the_establishment(member, market, establishment, outsider, client):
    subscription = services.subscription_request(user=member, market=market, establishment=establishment).subscription
    urls = [
        reverse("subscriptions:subscription_convention", args=[subscription.pk]),
        reverse("subscriptions:subscription_countersigned", args=[subscription.pk]),
        reverse("subscriptions:subscription_detail", args=[subscription.pk]),
        reverse("subscriptions:subscription_contacts", args=[subscription.pk]),
        reverse("subscriptions:subscription_contacts_xlsx", args=[subscription.pk]),
        reverse("subscriptions:subscription_pieces", args=[subscription.pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("members:login"))
    client.force_login(outsider)
    for url in urls:
        assert client.get(url).status_code == 404, url
    client.force_login(member)
    response = client.get(urls[0])
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"PK")
    assert client.get(urls[1]).status_code == 404  # not countersigned yet


def test_contacts_tab_and_spreadsheet(member, member_client, market, establishment):
    subscription = services.subscription_request(user=member, market=market, establishment=establishment).subscription
    html = html_text(member_client.get(reverse("subscriptions:subscription_contacts", args=[subscription.pk])))
    assert "Lots et contacts commerciaux" in html
    assert "Commandes du 1er au 15 du mois" in html and "SOFTCORNER" in html and "hmbaye@softcorner.fr" in html
    assert "Youssef BOUCHAKOR" in html and "01 73 04 37 59" in html
    response = member_client.get(reverse("subscriptions:subscription_contacts_xlsx", args=[subscription.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert 'filename="contacts-logiciels-doccasion.xlsx"' in response["Content-Disposition"]
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0] == ("Lot", "Intitulé du lot", "Fenêtre de commande", "Titulaire", "Contact", "E-mail", "Téléphone")
    assert rows[1:] == [
        (
            "Lot unique",
            "Lot unique",
            "Commandes du 1er au 15 du mois",
            "SOFTCORNER",
            "Habibou M'BAYE",
            "hmbaye@softcorner.fr",
            "09 80 80 85 82",
        ),
        (
            "Lot unique",
            "Lot unique",
            "Commandes du 16 au dernier jour du mois",
            "PREO SOFTWARE",
            "Youssef BOUCHAKOR",
            "y.bouchakor@preo-ag.com",
            "01 73 04 37 59",
        ),
    ]


def test_pieces_tab_lists_every_piece(member, member_client, market, establishment, pieces):
    subscription = services.subscription_request(user=member, market=market, establishment=establishment).subscription
    html = html_text(member_client.get(reverse("subscriptions:subscription_pieces", args=[subscription.pk])))
    assert "Pièces du marché" in html and "Documents du marché" in html
    for document in pieces.values():
        assert f'href="{document.url}"' in html
    # Grouped as the market page groups them: general pieces, then per lot and holder.
    assert pieces_outline(html) == [
        "# Documents du marché",
        "Fiche marché",
        "BPU",
        "CCAP",
        "DCE",
        "Convention à compléter",
        "# Lot unique — Lot unique : SOFTCORNER",
        "Offre SOFTCORNER",
    ]


def test_tabs_are_links_that_work_without_javascript(member, member_client, market, establishment):
    subscription = services.subscription_request(user=member, market=market, establishment=establishment).subscription
    html = html_text(member_client.get(reverse("subscriptions:subscription_pieces", args=[subscription.pk])))
    for name, label in (("subscription_detail", "Mon adhésion"), ("subscription_contacts", "Contacts commerciaux")):
        assert f'<a href="{reverse("subscriptions:" + name, args=[subscription.pk])}">{label}</a>' in html
    assert 'aria-current="page">Pièces du marché</a>' in html


def test_dashboard(member, member_client, market, market_index, establishment):
    from tests.factories.markets import MarketPageFactory

    other_market = MarketPageFactory(parent=market_index, title="Virtualisation", subtitle="Fourniture de licences")
    done = services.subscription_request(user=member, market=market, establishment=establishment).subscription
    services.subscription_request(user=member, market=other_market, establishment=establishment)
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.factories.subscriptions import pdf_bytes

    services.subscription_finalize(subscription=done, countersigned=SimpleUploadedFile("c.pdf", pdf_bytes()))
    html = html_text(member_client.get(reverse("subscriptions:dashboard")))
    for text in (
        "Bonjour !",
        "<strong>1</strong> souscription(s) validée(s)",
        "<strong>1</strong> souscription(s) en cours de traitement",
        "Consulter la liste de tous les marchés disponibles",
        f'href="{market_index.url}"',
        "Mes établissements",
        "1 PLACE DE LA MAIRIE<br>26110 NYONS",
        "2 marché(s)",
        'href="/compte/etablissements/">Gérer mes établissements',
        "Mes groupements",
        "Gérer mes groupements",
        "Mes marchés",
        "Souscription finalisée",
        "Souscription en cours",
        "Virtualisation",
        "Fourniture de licences",
        "COMMUNE DE NYONS - 26110",
        "Gérer mon marché",
    ):
        assert text in html, text


def test_an_account_awaiting_validation_has_no_dashboard(client):
    user = UserFactory(status="pending")
    client.force_login(user)  # a session made before the rule: it no longer authenticates
    response = client.get(reverse("subscriptions:dashboard"))
    assert response.status_code == 302 and response.url.startswith(reverse("members:login"))


def test_dashboard_requires_login(client):
    response = client.get(reverse("subscriptions:dashboard"))
    assert response.status_code == 302 and response.url.startswith(reverse("members:login"))


def test_market_manage_without_subscription_goes_to_the_form(member_client, market, establishment):
    response = member_client.get(reverse("subscriptions:market_manage", args=[market.pk]))
    assert response.url == form_url(market)


def test_a_market_not_in_force_offers_no_subscription(client, member, market, market_index, establishment):
    import datetime

    from django.utils import timezone

    today = timezone.localdate()
    market.notified_on, market.ends_on = today - datetime.timedelta(days=900), today - datetime.timedelta(days=1)
    market.save_revision().publish()
    client.force_login(member)
    page = html_text(client.get(market.url))
    assert f"Ce marché a pris fin le {market.ends_on:%d/%m/%Y}" in page
    assert form_url(market) not in page and "Frais d'utilisation estimés" not in page
    assert form_url(market) not in html_text(client.get(market_index.url + "?statut=termines"))
    response = client.get(form_url(market))
    assert response.status_code == 403 and "il n'est plus possible d'y souscrire" in html_text(response)
    assert submit(client, market, establishment).status_code == 403
    assert not Subscription.objects.exists()
