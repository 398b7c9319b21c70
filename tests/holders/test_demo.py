"""The demo shows the holders' side: two holder logins, every report state, a history."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from holders.figures import accepted_volume
from holders.models import Campaign, Report


@pytest.mark.django_db
def test_demo_has_two_holder_accounts_and_every_state(client):
    out = StringIO()
    call_command("load_demo", "--force", "--skip-index", stdout=out)
    call_command("load_demo", "--force", "--skip-index", stdout=StringIO())  # adds nothing
    printed = out.getvalue()
    assert Campaign.objects.count() == 6
    states = set(Report.objects.values_list("status", flat=True))
    assert states == {"draft", "pending", "rejected", "accepted"}
    assert any(report.is_late for report in Report.objects.filter(status="draft").select_related("campaign"))
    assert accepted_volume() > 1_000_000
    for email in ("commercial@scc.example", "rapports@altima-telecom.example"):
        password = re.search(rf"{re.escape(email)}\n\s+mot de passe : (\S+)", printed).group(1)
        client.post(reverse("members:login"), {"username": email, "password": password})
        home = client.get(reverse("holders:home"))
        assert home.status_code == 200 and "Rapports semestriels" in home.content.decode()
        client.logout()
    assert "de ventes HT" in client.get("/").content.decode()
