"""Alerts on what a member uses: new pieces, coming ends, convention reminders; through the
real task worker and a real SMTP server."""

import datetime

import pytest
from django.core.management import call_command

from alerts.models import AlertOptOut, Delivery, UsageKind
from alerts.tasks import end_alerts_send
from markets.models import MarketPage
from tests.factories.markets import HolderFactory, holder_entry, lot

from .conftest import add_piece, body, header, messages, publish, run_worker, subject

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_an_amendment_published_twice_the_same_day_makes_one_email_per_user(smtp, subscribed, member, colleague):
    market = add_piece(subscribed, "Avenant n°1 — révision des prix")
    market.save_revision()  # a draft: nothing
    run_worker()
    assert smtp.messages == []

    publish(market)
    publish(MarketPage.objects.get(pk=market.pk))  # published again the same day
    run_worker()
    received = messages(smtp)
    assert sorted(to for rcpt, _ in received for to in rcpt) == ["agent@nyons.fr", "collegue@nyons.fr"]
    _, message = received[0]
    assert subject(message) == "CANUT : nouvel avenant sur le marché « Postes de travail »"
    assert "Avenant n°1 — révision des prix" in body(message)
    assert "https://portail.canut.test/" in body(message)
    assert header(message, "List-Unsubscribe").startswith("<https://portail.canut.test/alertes/arreter/")
    assert header(message, "List-Unsubscribe-Post") == "List-Unsubscribe=One-Click"

    publish(add_piece(MarketPage.objects.get(pk=market.pk), "Avenant n°2"))  # another publication: told
    run_worker()
    assert len(smtp.messages) == 4


def test_a_member_who_turned_pieces_off_gets_nothing_and_outsiders_never(smtp, subscribed, member, outsider):
    AlertOptOut.objects.create(user=member, kind=UsageKind.PIECES)
    publish(add_piece(subscribed, "CCAP modifié", kind="ccap"))
    run_worker()
    assert [rcpt for rcpt, _ in messages(smtp)] == [["collegue@nyons.fr"]]


def test_end_of_market_alerts_at_90_and_30_days_only(smtp, subscribed):
    ends_on = subscribed.ends_on
    lot_holder = HolderFactory()
    market = MarketPage.objects.get(pk=subscribed.pk)
    market.lots = [lot(1, "Licences", holder_entry(lot_holder), ends_on=ends_on - datetime.timedelta(days=100))]
    publish(market)
    told = []
    for days_before in (200, 191, 190, 189, 130, 91, 90, 89, 31, 30, 29, 5):
        day = ends_on - datetime.timedelta(days=days_before)
        end_alerts_send.enqueue(day=day.isoformat())
        end_alerts_send.enqueue(day=day.isoformat())  # a repeated run the same day
        run_worker()
        told.append((days_before, len(smtp.messages)))
        if days_before in (190, 130):
            assert all("un lot du marché" in subject(message) for _, message in messages(smtp))
        smtp.messages.clear()
    # Two users each time; the lot ends 100 days before the market, so its alerts come first.
    assert told == [
        (200, 0), (191, 0), (190, 2), (189, 0), (130, 2),
        (91, 0), (90, 2), (89, 0), (31, 0), (30, 2), (29, 0), (5, 0),
    ]  # fmt: skip
    assert Delivery.objects.filter(kind="fin").count() == 4


def test_the_dashboard_shows_the_coming_end(client, subscribed, member):
    MarketPage.objects.filter(pk=subscribed.pk).update(ends_on=datetime.date.today() + datetime.timedelta(days=40))
    client.force_login(member)
    page = client.get("/compte/tableau-de-bord/")
    assert "Marchés bientôt terminés" in page.text and "Postes de travail" in page.text
    assert "dans 40 jours" in page.text


def test_send_alerts_queues_the_day_and_conventions_are_reminded_once(smtp, subscribed, member, staff, establishment):
    from subscriptions.models import Subscription

    today = datetime.date.today()
    Subscription.objects.create(
        market=subscribed, establishment=establishment, requested_by=member, sent_on=today - datetime.timedelta(days=15)
    )
    other = MarketPage.objects.exclude(pk=subscribed.pk).first() or subscribed
    call_command("send_alerts", stdout=open("/dev/null", "w"))
    call_command("send_alerts", stdout=open("/dev/null", "w"))
    run_worker()
    subjects = [subject(message) for _, message in messages(smtp)]
    assert subjects.count("CANUT : votre convention pour « Postes de travail » attend votre retour") == 1
    assert other is not None


def test_users_of_a_groupement_child_are_told_of_a_new_piece(smtp, market_index, establishment, outsider):
    from groupements.models import GroupementMember
    from subscriptions.permissions import market_grant
    from tests.factories.groupements import GroupementFactory
    from tests.factories.markets import MarketPageFactory

    market = publish(MarketPageFactory(parent=market_index, title="Téléphonie", slug="telephonie"))
    groupement = GroupementFactory(parent=establishment, members=0)
    GroupementMember.objects.create(
        groupement=groupement,
        establishment=outsider.establishments.get(),
        name="COMMUNE DE VISAN",
        contact_email="mairie@visan.fr",
        row_number=2,
    )
    market_grant(market=market, establishment=establishment, groupement=groupement)
    publish(add_piece(market, "Avenant n°1", kind="amendment"))
    run_worker()
    assert sorted(rcpt[0] for rcpt, _ in messages(smtp)) == ["agent@nyons.fr", "agent@visan.fr", "collegue@nyons.fr"]
