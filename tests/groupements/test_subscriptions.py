"""Subscribing "Pour un groupement": the parent signs, every child's users get the pieces."""

import html
import io

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from docx import Document

from groupements.models import Groupement
from markets.access import PIECES_PERMISSION, Audience
from subscriptions import permissions, services
from subscriptions.conventions import ANNEX_TITLE
from subscriptions.models import Subscription
from tests.factories.groupements import GroupementFactory
from tests.factories.markets import MarketDocumentFactory, MarketPageFactory, piece
from tests.factories.members import EstablishmentFactory, UserFactory


def text(response):
    return html.unescape(response.content.decode())


@pytest.fixture
def ccap(db):
    return MarketDocumentFactory(title="CCAP matériels")


@pytest.fixture
def market(market_index, ccap):
    return MarketPageFactory(
        parent=market_index,
        title="Matériels bureautiques neufs",
        documents=[piece(ccap, "ccap", Audience.SUBSCRIBERS)],
    )


@pytest.fixture
def groupement(member, parent):
    return GroupementFactory(
        parent=parent, created_by=member, name="CANUT_MAT_NEUF2", status=Groupement.Status.VALIDATED
    )


@pytest.fixture
def child_user(groupement):
    """A user of the groupement's second child establishment, nothing subscribed of its own."""
    user = UserFactory(email="mairie@visan.example.fr")
    child = groupement.members.order_by("row_number")[1].establishment
    child.postcode = "84820"
    child.save()
    child.users.add(user)
    return user


def subscribe(client, market, groupement, standing="member"):
    return client.post(
        reverse("subscriptions:subscription_request", args=[market.pk]),
        {
            "mode": "groupement",
            "groupement": groupement.pk,
            "establishment": groupement.parent_id,
            "association_standing": standing,
        },
    )


def request_for(member, market, groupement):
    return services.subscription_request(
        user=member,
        market=market,
        establishment=groupement.parent,
        groupement=groupement,
        association_standing="member",
    ).subscription


def test_form_offers_the_users_validated_groupements_and_fills_the_parent(
    member_client, member, parent, market, groupement
):
    GroupementFactory(parent=parent, created_by=member, name="EN_ATTENTE")  # pending: not offered
    url = reverse("subscriptions:subscription_request", args=[market.pk])
    page = text(member_client.get(url + "?mode=groupement"))
    assert 'id="mode-groupement" name="mode" value="groupement" checked' in page
    assert "Votre compte est associé à 1 groupement(s)." in page
    assert f'href="?mode=groupement&groupement={groupement.pk}"' in page and "en_attente" not in page

    page = text(member_client.get(url, {"groupement": groupement.pk}))
    assert "Informations réglementaires de l'établissement principal" in page
    for value in ("CANUT", "924435951", "92443595100018"):
        assert f'value="{value}"' in page
    assert "3 établissement(s) enfant(s), listés en annexe n°1 de la convention" in page


def test_subscribing_for_a_groupement(member_client, member, market, groupement, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = subscribe(member_client, market, groupement)
    assert response.status_code == 302 and response["Location"] == reverse("subscriptions:my_markets")
    subscription = Subscription.objects.get()
    assert (subscription.establishment, subscription.groupement, subscription.requested_by) == (
        groupement.parent,
        groupement,
        member,
    )
    assert "convention-materiels-bureautiques-neufs-groupement-canut_mat_neuf2" in subscription.convention.name
    [email] = mail.outbox
    assert email.to == [member.email] and email.attachments

    # Asking again shows the same subscription.
    response = subscribe(member_client, market, groupement)
    assert response["Location"] == reverse("subscriptions:subscription_detail", args=[subscription.pk])
    assert Subscription.objects.count() == 1


def test_convention_annex_1_holds_the_groupements_table(member, market, groupement):
    subscription = request_for(member, market, groupement)
    with subscription.convention.open("rb") as handle:
        document = Document(io.BytesIO(handle.read()))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert ANNEX_TITLE in headings
    assert any("Groupement « CANUT_MAT_NEUF2 »" in p.text and "92443595100018" in p.text for p in document.paragraphs)
    table = document.tables[-1]
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    expected = [[m.establishment.siret, m.name, m.contact_email] for m in groupement.members.order_by("row_number")]
    assert rows == [["SIRET", "Nom de la structure", "Email de contact"], *expected]


def test_every_childs_users_get_the_pieces_at_once(client, member, market, groupement, child_user, ccap):
    outsider = UserFactory()
    EstablishmentFactory(users=[outsider])
    assert not child_user.has_perm(PIECES_PERMISSION, market)
    request_for(member, market, groupement)

    from members.models import User

    assert User.objects.get(pk=child_user.pk).has_perm(PIECES_PERMISSION, market)
    assert User.objects.get(pk=member.pk).has_perm(PIECES_PERMISSION, market)
    assert not User.objects.get(pk=outsider.pk).has_perm(PIECES_PERMISSION, market)

    client.force_login(child_user)
    response = client.get(ccap.url)
    assert response.status_code == 200
    client.force_login(outsider)
    assert client.get(ccap.url).status_code in (302, 403)


def test_parent_and_child_dashboards_show_the_groupement(client, member, market, groupement, child_user):
    request_for(member, market, groupement)
    for user in (member, child_user):
        client.force_login(user)
        page = text(client.get(reverse("subscriptions:dashboard")))
        assert "Matériels bureautiques neufs" in page
        assert "<dt>Souscription pour</dt><dd>CANUT - 69002</dd>" in page
        assert "<dt>Groupement</dt><dd>CANUT_MAT_NEUF2</dd>" in page
    # The parent's users also see the groupement itself under "Mes groupements".
    client.force_login(member)
    assert "<strong>CANUT_MAT_NEUF2</strong>" in text(client.get(reverse("subscriptions:dashboard")))


def test_child_user_opens_the_market_but_not_the_parents_convention(
    client, member, market, groupement, child_user, ccap
):
    subscription = request_for(member, market, groupement)
    client.force_login(child_user)
    page = text(client.get(reverse("subscriptions:subscription_detail", args=[subscription.pk])))
    assert "la convention est signée et renvoyée par l'établissement parent, CANUT, pour tout le groupement" in page
    assert "Vous n'avez rien à signer" in page
    # Nothing above says otherwise (the current step's own help is the signatory's).
    assert "Il ne vous reste plus qu'à la compléter" not in page and "Prochaine étape : complétez" not in page
    assert reverse("subscriptions:subscription_convention", args=[subscription.pk]) not in page
    assert client.get(reverse("subscriptions:subscription_convention", args=[subscription.pk])).status_code == 404
    assert "CCAP matériels" in text(client.get(reverse("subscriptions:subscription_pieces", args=[subscription.pk])))


def test_only_the_parents_validated_groupements(member, member_client, parent, market):
    pending = GroupementFactory(parent=parent, created_by=member)
    someone_elses = GroupementFactory(
        parent=EstablishmentFactory(users=[UserFactory()]), status=Groupement.Status.VALIDATED
    )
    url = reverse("subscriptions:subscription_request", args=[market.pk])
    for groupement in (pending, someone_elses):
        assert member_client.get(url, {"groupement": groupement.pk}).status_code == 404
        assert subscribe(member_client, market, groupement).status_code == 404
        with pytest.raises(PermissionDenied):
            services.subscription_request(user=member, market=market, establishment=parent, groupement=groupement)
    assert not Subscription.objects.exists()


def test_groupement_mode_needs_a_groupement(member_client, market, groupement, parent):
    GroupementFactory(parent=parent, name="AUTRE", status=Groupement.Status.VALIDATED)
    response = member_client.post(
        reverse("subscriptions:subscription_request", args=[market.pk]),
        {"mode": "groupement", "establishment": parent.pk, "association_standing": "member"},
    )
    assert response.status_code == 200
    assert "Sélectionnez le groupement pour lequel vous souscrivez." in text(response)
    assert not Subscription.objects.exists()


def test_parent_subscribes_for_itself_and_for_its_groupement(member, parent, market, groupement):
    own = services.subscription_request(user=member, market=market, establishment=parent).subscription
    for_groupement = request_for(member, market, groupement)
    assert own != for_groupement and Subscription.objects.count() == 2
    assert own.groupement is None and own.mode_label == "Établissement"
    assert for_groupement.mode_label == "Groupement"


def test_cancelling_takes_the_pieces_back_unless_another_subscription_covers(member, market, groupement, child_user):
    from members.models import User

    other_child = groupement.members.order_by("row_number")[2].establishment
    covered_user = UserFactory()
    other_child.users.add(covered_user)
    other_child.status = "validated"
    other_child.save()
    subscription = request_for(member, market, groupement)
    services.subscription_request(user=covered_user, market=market, establishment=other_child)

    services.subscription_cancel(subscription=subscription, reason="Erreur de groupement")
    assert not User.objects.get(pk=child_user.pk).has_perm(PIECES_PERMISSION, market)
    assert User.objects.get(pk=covered_user.pk).has_perm(PIECES_PERMISSION, market)  # its own subscription
    assert not User.objects.get(pk=member.pk).has_perm(PIECES_PERMISSION, market)


def test_user_attached_to_a_child_later_gets_the_pieces_on_sync(member, market, groupement):
    from members.models import User

    request_for(member, market, groupement)
    newcomer = UserFactory()
    groupement.members.first().establishment.users.add(newcomer)
    permissions.user_sync_market_permissions(user=newcomer)
    assert User.objects.get(pk=newcomer.pk).has_perm(PIECES_PERMISSION, market)


def test_staff_see_the_groupement_of_a_subscription(staff_client, member, market, groupement):
    subscription = request_for(member, market, groupement)
    index = reverse("wagtailadmin_home").rstrip("/") + "/souscriptions/"
    page = text(staff_client.get(index))
    assert "CANUT_MAT_NEUF2" in page
    assert subscription.market.title in page
    assert [s.pk for s in staff_client.get(index, {"q": "MAT_NEUF"}).context["object_list"]] == [subscription.pk]
