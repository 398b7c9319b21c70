"""The demo member opens "Mes simulations" and finds one on the multi-publisher agreement."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from members.models import User
from simulations.demo import MEMBER, NAME
from simulations.models import Simulation

pytestmark = pytest.mark.django_db


def test_the_demo_member_has_a_simulation_on_the_multi_publisher_agreement(client, home_page):
    call_command("load_demo", "--force", "--skip-index", stdout=StringIO())
    call_command("load_demo", "--force", "--skip-index", stdout=StringIO())  # idempotent
    simulation = Simulation.objects.get(owner__email=MEMBER, name=NAME)
    assert simulation.lines.count() == 5 and simulation.establishment is not None
    client.force_login(User.objects.get(email=MEMBER))
    response = client.get(reverse("simulations:detail", args=[simulation.pk]))
    figures = response.context["figures"]
    [agreement] = figures.agreements
    assert agreement.market.slug == "multi-editeurs" and figures.hidden == 0
    assert agreement.estimate is not None and agreement.gain is not None and agreement.gain > 0
    assert "Gain net des frais" in response.content.decode()
