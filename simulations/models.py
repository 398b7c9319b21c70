"""Purchase simulations: price lines with quantities, what the member pays today, kept per account.

A visitor's simulation lives in their session (simulations.store) and never in these tables:
an anonymous request spends no row here. The prices shown are always the lines' current ones;
`price_at_add` only tells the member a price changed since they added the line.
"""

from django.conf import settings
from django.db import models

MAX_SIMULATIONS = 20  # per account
MAX_LINES = 100  # per simulation
MONEY = {"max_digits": 14, "decimal_places": 2}


class Simulation(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="simulations")
    name = models.CharField("nom de la simulation", max_length=120)
    establishment = models.ForeignKey(
        "members.Establishment",
        verbose_name="établissement acheteur",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    non_member = models.BooleanField("non adhérent de l'association", default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "simulation d'achat"
        verbose_name_plural = "simulations d'achat"
        ordering = ["-updated_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["owner", "name"], name="unique_simulation_name")]

    def __str__(self):
        return self.name


class SimulationLine(models.Model):
    simulation = models.ForeignKey(Simulation, on_delete=models.CASCADE, related_name="lines")
    price_line = models.ForeignKey("prices.PriceLine", on_delete=models.CASCADE, related_name="+")
    quantity = models.DecimalField("quantité", max_digits=12, decimal_places=2)
    price_at_add = models.DecimalField("prix unitaire HT à l'ajout", null=True, blank=True, **MONEY)
    paid_unit_price = models.DecimalField("prix unitaire HT payé aujourd'hui", null=True, blank=True, **MONEY)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "ligne de simulation"
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["simulation", "price_line"], name="unique_simulation_line")]

    def __str__(self):
        return f"{self.simulation} — {self.price_line_id}"


class SimulationQuote(models.Model):
    """What the member pays today, or another quote, for all of one agreement's lines (HT)."""

    simulation = models.ForeignKey(Simulation, on_delete=models.CASCADE, related_name="quotes")
    market = models.ForeignKey("markets.MarketPage", on_delete=models.CASCADE, related_name="+")
    amount = models.DecimalField("montant HT comparé", **MONEY)

    class Meta:
        verbose_name = "montant comparé"
        constraints = [models.UniqueConstraint(fields=["simulation", "market"], name="unique_simulation_quote")]

    def __str__(self):
        return f"{self.simulation} — {self.market_id}"
