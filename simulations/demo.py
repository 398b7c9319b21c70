"""The demo member's simulation on the multi-publisher agreement: a few licences with their
quantities and what the commune pays today at the public price, so the page shows the fee,
the gain and the note at once. Idempotent: the simulation by (member, name), its lines by price line."""

from decimal import Decimal

from django.db.models import Exists, OuterRef

from markets.access import Audience
from markets.models import MarketPage, MarketPiece
from members.models import User
from prices.models import PriceLine

from .models import Simulation, SimulationLine

MEMBER = "adherent.demo@canut.org"
MARKET = "multi-editeurs"
NAME = "Licences bureautiques et sécurité 2027"
# (publisher, quantity): what a commune of 7,000 inhabitants buys for its staff.
WANTED = [("Adobe", "12"), ("Microsoft", "40"), ("Bitdefender", "85"), ("Zoom", "6"), ("Veeam", "2")]


def ensure_simulation():
    user = User.objects.filter(email__iexact=MEMBER).first()
    market = MarketPage.objects.filter(slug=MARKET).first()
    if user is None or market is None:
        return None
    readable = MarketPiece.objects.filter(
        market_id=OuterRef("market_id"),
        document_id=OuterRef("source__document_id"),
        audience__in=[Audience.PUBLIC, Audience.MEMBERS],
    )
    lines = PriceLine.objects.filter(market=market, active=True, on_quote=False, net_price__isnull=False).filter(
        Exists(readable)
    )
    simulation, _ = Simulation.objects.get_or_create(
        owner=user, name=NAME, defaults={"establishment": user.establishments.filter(status="validated").first()}
    )
    for publisher, quantity in WANTED:
        line = lines.filter(publisher__iexact=publisher).order_by("pk").first()
        if line is None:
            continue
        SimulationLine.objects.get_or_create(
            simulation=simulation,
            price_line=line,
            defaults={
                "quantity": Decimal(quantity),
                "price_at_add": line.net_price,
                # Bought today at the public price, without the agreement's discount.
                "paid_unit_price": line.list_price if line.list_price and line.list_price > line.net_price else None,
            },
        )
    return simulation
