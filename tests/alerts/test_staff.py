"""What staff see: alert figures on the admin home, the reach of a publication, and the
reminder on conventions received but not finalized."""

import datetime

from django.core import mail
from django.utils import timezone

from alerts.models import Delivery, SavedSearch
from alerts.usage import convention_reminders_send
from subscriptions.models import Subscription
from subscriptions.permissions import market_grant
from tests.factories.markets import MarketPageFactory


def test_the_admin_home_counts_active_alerts_and_emails_per_kind(client, staff, member, outsider):
    now = timezone.now()
    SavedSearch.objects.create(user=member, name="A", source="marches", frequency="quotidienne", checked_until=now)
    SavedSearch.objects.create(user=member, name="B", source="prix", frequency="aucune", checked_until=now)
    SavedSearch.objects.create(user=outsider, name="C", source="prix", paused=True, checked_until=now)
    Delivery.objects.create(key="digest:quotidienne:2026-12-01", kind="digest-quotidien", emails=12)
    Delivery.objects.create(key="pieces:1:1-1", kind="piece", emails=3)
    client.force_login(staff)
    home = client.get("/admin/").text
    assert "Alertes : 1 recherche active" in home
    assert "3 recherches enregistrées par 2 adhérents" in home
    assert "<td>Résumé quotidien des recherches</td><td>12</td>" in home
    assert "<td>Nouvelle pièce ou avenant</td><td>3</td>" in home


def test_the_editor_sees_how_many_members_a_publication_tells(client, staff, market_index, establishment):
    market = MarketPageFactory(parent=market_index)
    client.force_login(staff)
    page = client.get(f"/admin/pages/{market.pk}/edit/")
    assert "Aucun établissement souscripteur ne sera prévenu" in page.text
    market_grant(market=market, establishment=establishment)
    page = client.get(f"/admin/pages/{market.pk}/edit/")
    assert "annoncé par e-mail à 2 utilisateurs des établissements souscripteurs" in page.text


def test_staff_are_reminded_once_of_a_convention_received_seven_days_ago(
    staff, member, market_index, establishment, django_capture_on_commit_callbacks
):
    market = MarketPageFactory(parent=market_index, title="Cybersécurité")
    today = datetime.date.today()
    Subscription.objects.create(
        market=market,
        establishment=establishment,
        requested_by=member,
        sent_on=today - datetime.timedelta(days=20),
        received_on=today - datetime.timedelta(days=6),
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert convention_reminders_send(today=today) == 0  # 6 days: not yet
    with django_capture_on_commit_callbacks(execute=True):
        assert convention_reminders_send(today=today + datetime.timedelta(days=1)) == 1
        assert convention_reminders_send(today=today + datetime.timedelta(days=2)) == 0
    [message] = mail.outbox
    assert message.to == [staff.email]
    assert message.subject == "Convention reçue à finaliser : COMMUNE DE NYONS — Cybersécurité"
