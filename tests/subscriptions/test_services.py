import datetime
import io

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from docx import Document

from markets.access import PIECES_PERMISSION
from members.models import Establishment, User
from subscriptions import permissions, services
from subscriptions.models import Subscription, SubscriptionStatus
from tests.factories.members import EstablishmentFactory, UserFactory
from tests.factories.subscriptions import docx_bytes, pdf_bytes

pytestmark = pytest.mark.django_db


def request(user, market, establishment, **kwargs):
    return services.subscription_request(user=user, market=market, establishment=establishment, **kwargs)


def docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    parts += [p.text for section in document.sections for p in section.header.paragraphs]
    return "\n".join(parts)


def test_request_grants_pieces_to_every_user_of_the_establishment(market, member, colleague, establishment, outsider):
    assert not member.has_perm(PIECES_PERMISSION, market)
    result = request(member, market, establishment, association_standing="joining")
    assert result.created
    subscription = result.subscription
    assert subscription.status == SubscriptionStatus.SENT
    assert subscription.sent_on == timezone.localdate()
    assert subscription.requested_by == member
    assert member.has_perm(PIECES_PERMISSION, market)
    assert colleague.has_perm(PIECES_PERMISSION, market)
    assert not outsider.has_perm(PIECES_PERMISSION, market)


def test_request_generates_the_convention_from_the_blank_and_emails_it(
    market, member, establishment, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        subscription = request(member, market, establishment).subscription
    with subscription.convention.open("rb") as handle:
        text = docx_text(handle.read())
    assert f"Entre la CANUT et COMMUNE DE NYONS (SIRET {establishment.siret})" in text
    assert f"Marché : Logiciels d'occasion — fait le {timezone.localdate():%d/%m/%Y}" in text
    assert "Adresse : 1 PLACE DE LA MAIRIE, 26110 NYONS" in text
    assert establishment.siren in text  # table cell
    assert "Convention Logiciels d'occasion" in text  # header
    assert "{{inconnu}}" in text  # unknown placeholders are left for a human to see
    assert "{{" not in text.replace("{{inconnu}}", "")

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [member.email]
    assert "Logiciels d'occasion" in message.subject
    ((name, content, mimetype),) = message.attachments
    assert name.endswith(".docx") and establishment.siret in name
    assert "COMMUNE DE NYONS" in docx_text(content)


def test_convention_is_not_under_media_root(market, member, establishment, settings):
    subscription = request(member, market, establishment).subscription
    path = subscription.convention.path
    assert str(settings.PRIVATE_MEDIA_ROOT) in path
    assert str(settings.MEDIA_ROOT) not in path
    with pytest.raises(NotImplementedError):
        _ = subscription.convention.url


def test_asking_again_returns_the_live_subscription(
    market, member, colleague, establishment, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = request(member, market, establishment)
        second = request(colleague, market, establishment)
    assert first.created and not second.created
    assert second.subscription.pk == first.subscription.pk
    assert Subscription.objects.count() == 1
    assert len(mail.outbox) == 1


def test_database_refuses_two_live_subscriptions(market, member, establishment):
    request(member, market, establishment)
    with pytest.raises(IntegrityError), transaction.atomic():
        Subscription.objects.create(market=market, establishment=establishment)


def test_a_cancelled_subscription_can_be_asked_again(market, member, establishment):
    first = request(member, market, establishment).subscription
    services.subscription_cancel(subscription=first, reason="Erreur de saisie")
    second = request(member, market, establishment)
    assert second.created and second.subscription.pk != first.pk
    assert member.has_perm(PIECES_PERMISSION, market)


@pytest.mark.parametrize(
    "case",
    [
        "pending_user",
        "rejected_user",
        "inactive_user",
        "not_their_establishment",
        "pending_establishment",
        "draft_market",
    ],
)
def test_request_refusals(case, market, member, establishment, outsider):
    user, target = member, establishment
    if case == "pending_user":
        user.status = user.Status.PENDING
    elif case == "rejected_user":
        user.status = user.Status.REJECTED
    elif case == "inactive_user":
        user.is_active = False
    elif case == "not_their_establishment":
        user = outsider
    elif case == "pending_establishment":
        target.status = Establishment.Status.PENDING
        target.save()
    elif case == "draft_market":
        market.live = False
        market.save()
    user.save()
    with pytest.raises(PermissionDenied) as refused:
        request(user, market, target)
    # A refusal says where to go next (core.errors.Refusal, shown by the 403 page).
    assert refused.value.action_url and refused.value.action_label
    assert not Subscription.objects.exists()
    assert not user.has_perm(PIECES_PERMISSION, market)


def test_cancel_takes_the_pieces_back(market, member, colleague, establishment):
    subscription = request(member, market, establishment).subscription
    with pytest.raises(ValidationError):
        services.subscription_cancel(subscription=subscription, reason="  ")
    services.subscription_cancel(subscription=subscription, reason="Doublon")
    subscription.refresh_from_db()
    assert subscription.status == SubscriptionStatus.CANCELLED
    assert subscription.cancel_reason == "Doublon"
    assert not member.has_perm(PIECES_PERMISSION, market)
    assert not colleague.has_perm(PIECES_PERMISSION, market)
    with pytest.raises(ValidationError):
        services.subscription_cancel(subscription=subscription, reason="Encore")


def test_cancel_keeps_access_given_by_another_live_subscription(market, member, colleague, establishment):
    other = EstablishmentFactory(name="SYNDICAT", users=[member])
    first = request(member, market, establishment).subscription
    request(member, market, other)
    services.subscription_cancel(subscription=first, reason="Souscrit par le syndicat")
    assert member.has_perm(PIECES_PERMISSION, market)  # still covered by the syndicate
    assert not colleague.has_perm(PIECES_PERMISSION, market)


def test_cancel_does_not_touch_other_markets(market, market_index, member, establishment):
    from tests.factories.markets import MarketPageFactory

    other_market = MarketPageFactory(parent=market_index)
    first = request(member, market, establishment).subscription
    request(member, other_market, establishment)
    services.subscription_cancel(subscription=first, reason="Plus utile")
    assert not member.has_perm(PIECES_PERMISSION, market)
    assert member.has_perm(PIECES_PERMISSION, other_market)


def test_sync_grants_a_user_attached_later(market, member, establishment):
    request(member, market, establishment)
    newcomer = UserFactory()
    establishment.users.add(newcomer)
    assert not newcomer.has_perm(PIECES_PERMISSION, market)
    permissions.user_sync_market_permissions(user=newcomer)
    assert User.objects.get(pk=newcomer.pk).has_perm(PIECES_PERMISSION, market)
    # Idempotent.
    permissions.user_sync_market_permissions(user=newcomer)
    assert User.objects.get(pk=newcomer.pk).has_perm(PIECES_PERMISSION, market)


def test_sync_ignores_cancelled_subscriptions(market, member, establishment):
    subscription = request(member, market, establishment).subscription
    services.subscription_cancel(subscription=subscription, reason="Annulée")
    newcomer = UserFactory()
    establishment.users.add(newcomer)
    permissions.user_sync_market_permissions(user=newcomer)
    assert not newcomer.has_perm(PIECES_PERMISSION, market)


def test_staff_steps_date_each_status(market, member, establishment, django_capture_on_commit_callbacks):
    subscription = request(member, market, establishment).subscription
    today = timezone.localdate()
    with pytest.raises(ValidationError):
        services.subscription_mark_received(subscription=subscription, on=today + datetime.timedelta(days=1))
    with pytest.raises(ValidationError):
        services.subscription_mark_received(subscription=subscription, on=today - datetime.timedelta(days=1))
    services.subscription_mark_received(subscription=subscription, on=today)
    assert Subscription.objects.with_status().get().status_value == SubscriptionStatus.RECEIVED
    upload = SimpleUploadedFile("signee.pdf", pdf_bytes(), content_type="application/pdf")
    with django_capture_on_commit_callbacks(execute=True):
        services.subscription_finalize(subscription=subscription, countersigned=upload, on=today)
    subscription.refresh_from_db()
    assert subscription.status == SubscriptionStatus.FINALIZED
    assert subscription.countersigned_convention.name.endswith(".pdf")
    with subscription.countersigned_convention.open("rb") as handle:
        assert handle.read() == pdf_bytes()
    (message,) = mail.outbox
    assert message.to == [member.email] and "finalisée" in message.subject
    assert message.attachments[0][1] == pdf_bytes()
    with pytest.raises(ValidationError):
        services.subscription_mark_received(subscription=subscription)
    with pytest.raises(ValidationError):
        services.subscription_finalize(
            subscription=subscription, countersigned=SimpleUploadedFile("b.pdf", pdf_bytes())
        )


def test_finalize_without_received_step_dates_both(market, member, establishment):
    subscription = request(member, market, establishment).subscription
    upload = SimpleUploadedFile("signee.docx", docx_bytes("Signé"))
    services.subscription_finalize(subscription=subscription, countersigned=upload)
    assert subscription.received_on == subscription.finalized_on == timezone.localdate()


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("signee.pdf", b"", "empty"),
        ("signee.txt", b"%PDF-1.4 hello", "extension"),
        ("signee.pdf", b"PK\x03\x04 not a pdf", "content"),
        ("signee.docx", b"%PDF-1.4 renamed", "content"),
        ("signee.docx", b"PK\x05\x06" + b"\x00" * 18, "content"),  # an empty zip, not Word
        ("signee.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024), "size"),
    ],
)
def test_countersigned_file_is_checked_by_content_and_size(name, content, code):
    with pytest.raises(ValidationError) as error:
        services.validate_countersigned_file(SimpleUploadedFile(name, content))
    assert error.value.code == code


def test_cancelled_subscription_cannot_move_on(market, member, establishment):
    subscription = request(member, market, establishment).subscription
    services.subscription_cancel(subscription=subscription, reason="Annulée")
    with pytest.raises(ValidationError):
        services.subscription_mark_received(subscription=subscription)
    with pytest.raises(ValidationError):
        services.subscription_finalize(
            subscription=subscription, countersigned=SimpleUploadedFile("a.pdf", pdf_bytes())
        )


def test_user_sync_follows_attachments(market, market_index, member, establishment):
    from tests.factories.markets import MarketPageFactory

    other_market = MarketPageFactory(parent=market_index)
    request(member, market, establishment)
    syndicate = EstablishmentFactory(name="SYNDICAT", users=[member])
    request(member, other_market, syndicate)
    newcomer = UserFactory()
    syndicate.users.add(newcomer)
    permissions.user_sync_market_permissions(user=newcomer)
    assert newcomer.has_perm(PIECES_PERMISSION, other_market)
    assert not newcomer.has_perm(PIECES_PERMISSION, market)
    # Detached from the syndicate: the access it gave goes, the establishment's stays.
    syndicate.users.remove(member)
    permissions.user_sync_market_permissions(user=member)
    assert member.has_perm(PIECES_PERMISSION, market)
    assert not member.has_perm(PIECES_PERMISSION, other_market)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_requests_make_one_subscription(market, member, colleague, establishment):
    """Two submits racing (a double click on two workers): one row, both get it back."""
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("needs a database that serves concurrent transactions")
    barrier = threading.Barrier(2)
    results, errors = [], []

    def submit(user):
        try:
            barrier.wait()
            results.append(request(user, market, establishment))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=(user,)) for user in (member, colleague)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert Subscription.objects.count() == 1
    assert sorted(r.created for r in results) == [False, True]
    assert {r.subscription.pk for r in results} == {Subscription.objects.get().pk}


@pytest.mark.parametrize(
    "dates, reason",
    [
        ((-2000, -1), "Ce marché a pris fin le"),
        ((1, 1000), "Ce marché sera notifié le"),
    ],
    ids=["ended", "upcoming"],
)
def test_request_is_refused_for_a_market_not_in_force(market, member, establishment, dates, reason):
    today = timezone.localdate()
    market.notified_on, market.ends_on = (today + datetime.timedelta(days=d) for d in dates)
    market.save_revision().publish()
    with pytest.raises(PermissionDenied, match=reason):
        request(member, market, establishment)
    assert not Subscription.objects.exists()
    assert not mail.outbox


def test_request_is_open_on_the_first_and_the_last_day(market, member, establishment):
    today = timezone.localdate()
    market.notified_on, market.ends_on = today, today + datetime.timedelta(days=10)
    assert request(member, market, establishment).created
    market.notified_on, market.ends_on = today - datetime.timedelta(days=10), today
    other = EstablishmentFactory(users=[member])
    assert request(member, market, other).created


def test_groupement_convention_email_names_its_children(
    market, member, establishment, django_capture_on_commit_callbacks
):
    from groupements.models import Groupement
    from tests.factories.groupements import GroupementFactory

    groupement = GroupementFactory(parent=establishment, created_by=member, status=Groupement.Status.VALIDATED)
    children = sorted(m.establishment.name for m in groupement.members.select_related("establishment"))
    with django_capture_on_commit_callbacks(execute=True):
        request(member, market, establishment, groupement=groupement)
    (email,) = mail.outbox
    assert f"groupement « {groupement.name} »" in email.body
    assert "ceux des 3 établissements du groupement" in email.body
    assert all(f"- {name}" in email.body for name in children)
