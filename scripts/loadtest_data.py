"""Data for scripts/loadtest.py, run inside `manage.py shell`: load-test members and what users ask for."""

import json

from django.contrib.auth.hashers import make_password
from django.db.models import Count

from markets.access import Audience
from markets.models import MarketPage
from members.models import User
from subscriptions import services
from subscriptions.models import Subscription
from tests.factories.directory import valid_siret
from tests.factories.members import EstablishmentFactory


def prepare(users, password):
    """`users` active members, each with a validated establishment and one subscription."""
    markets = list(MarketPage.objects.live().order_by("pk"))
    hashed = make_password(password)
    accounts = []
    for n in range(users):
        email = f"charge{n}@mairie-charge.fr"
        user, _ = User.objects.get_or_create(email=email, defaults={"status": User.Status.ACTIVE, "password": hashed})
        establishment = user.establishments.first()
        if establishment is None:
            siret = valid_siret(900000 + n)
            establishment = EstablishmentFactory(siret=siret, siren=siret[:9], users=[user])
        market = markets[n % len(markets)]
        subscription = services.subscription_request(user=user, market=market, establishment=establishment)
        accounts.append(
            {"email": email, "establishment": establishment.pk, "subscription": subscription.subscription.pk}
        )
    public = [
        block.value["document"].url
        for market in markets
        for block in market.documents
        if block.value["audience"] == Audience.PUBLIC and block.value["document"]
    ]
    data = {
        "markets": [market.url for market in markets],
        "market_ids": [market.pk for market in markets],
        "public": public,
        "catalogue": markets[0].get_parent().url,
        "accounts": accounts,
        "themes": sorted({theme.slug for market in markets for theme in market.themes.all()}),
    }
    print("DATA " + json.dumps(data))


def subscription_counts():
    rows = Subscription.objects.values("establishment_id", "market_id").annotate(n=Count("id"))
    print("DATA " + json.dumps(list(rows)))
