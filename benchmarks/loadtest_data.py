"""Data for benchmarks/loadtest.py, run inside `manage.py shell`: load-test members and what users ask for."""

import json

from django.contrib.auth.hashers import make_password
from django.db.models import Count

from markets.access import Audience
from markets.models import MarketPage
from members.models import User
from prices.models import PriceLine
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
        "index_path": markets[0].get_parent().path,
        "accounts": accounts,
        "themes": sorted({theme.slug for market in markets for theme in market.themes.all()}),
        "prices": price_requests(),
    }
    print("DATA " + json.dumps(data))


def price_requests():
    """What visitors of "Produits et prix" ask: words of the designations, a publisher, a
    category, the sorts, and line pages (public pieces)."""
    lines = PriceLine.objects.filter(active=True).order_by("pk")
    words = sorted(
        {w for d in lines.values_list("designation", flat=True)[:500] for w in d.lower().split() if len(w) > 3}
    )
    publishers = sorted(set(lines.exclude(publisher="").values_list("publisher", flat=True)[:500]))
    categories = sorted(set(lines.exclude(category="").values_list("category", flat=True)[:500]))
    return {
        "words": words[:40],
        "publishers": publishers[:20],
        "categories": categories[:20],
        "lines": list(lines.filter(source__document__in=public_documents()).values_list("pk", flat=True)[:200]),
    }


def public_documents():
    from markets.models import MarketPiece

    return MarketPiece.objects.filter(audience=Audience.PUBLIC).values("document_id")


def subscription_counts():
    rows = Subscription.objects.values("establishment_id", "market_id").annotate(n=Count("id"))
    print("DATA " + json.dumps(list(rows)))


def full_collection_pauses(runs=15):
    """What a full collection costs a worker once the app is loaded and has served pages,
    with and without gc.freeze() (what config/gunicorn.py does after the fork)."""
    import gc
    import statistics
    import time

    from django.test import Client

    client = Client(HTTP_X_FORWARDED_PROTO="https")
    for path in ["/", "/recherche/?q=logiciels", *[market.url for market in MarketPage.objects.live()[:5]]]:
        client.get(path)

    def pauses():
        timings = []
        for _ in range(runs):
            started = time.perf_counter()
            gc.collect(2)
            timings.append((time.perf_counter() - started) * 1000)
        return round(statistics.median(timings), 2)

    tracked = len(gc.get_objects())
    before = pauses()
    gc.freeze()
    after = pauses()
    result = {"tracked_objects": tracked, "frozen": gc.get_freeze_count(), "gen2_ms": before, "gen2_ms_frozen": after}
    print("DATA " + json.dumps(result))
