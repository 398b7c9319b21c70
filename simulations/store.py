"""Where a simulation's lines are kept: an account's rows, or a visitor's session.

Both stores answer the same few questions and take the same few writes, so the page, the
note and the spreadsheet are built one way for both. A visitor's store is bounded like an
account's (MAX_LINES) and expires with the session: an anonymous request writes no row.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from .models import MAX_LINES, SimulationLine, SimulationQuote

SESSION_KEY = "simulation"
VISITOR_NAME = "Ma simulation"
TOO_MANY_LINES = f"Une simulation compte au plus {MAX_LINES} lignes : retirez-en ou créez une autre simulation."


def _decimal(text):
    return Decimal(text) if text is not None else None


def _text(value):
    return str(value) if value is not None else None


class AccountStore:
    """A saved simulation (`Simulation`) of a logged-in member."""

    is_visitor = False

    def __init__(self, simulation):
        self.simulation = simulation

    @property
    def name(self):
        return self.simulation.name

    @property
    def establishment(self):
        return self.simulation.establishment

    @property
    def non_member(self):
        return self.simulation.non_member

    def rows(self):
        """[(pk, price_line_id, quantity, price_at_add, paid_unit_price)]"""
        return list(
            self.simulation.lines.order_by("pk").values_list(
                "pk", "price_line_id", "quantity", "price_at_add", "paid_unit_price"
            )
        )

    def quotes(self) -> dict:
        return dict(self.simulation.quotes.values_list("market_id", "amount"))

    @transaction.atomic
    def add(self, price_line, quantity) -> bool:
        """True when the line is new, False when its quantity was replaced."""
        price = price_line.net_price if not price_line.on_quote else None
        updated = SimulationLine.objects.filter(simulation=self.simulation, price_line=price_line).update(
            quantity=quantity, price_at_add=price
        )
        if updated:
            self.simulation.save(update_fields=["updated_at"])
            return False
        if self.simulation.lines.count() >= MAX_LINES:
            raise ValidationError(TOO_MANY_LINES)
        SimulationLine.objects.create(
            simulation=self.simulation, price_line=price_line, quantity=quantity, price_at_add=price
        )
        self.simulation.save(update_fields=["updated_at"])
        return True

    @transaction.atomic
    def update(self, *, lines: dict, quotes: dict):
        """`lines`: {pk: (quantity, paid unit price or None)}; `quotes`: {market_id: amount or None}."""
        for line in self.simulation.lines.filter(pk__in=list(lines)):
            line.quantity, line.paid_unit_price = lines[line.pk]
            line.save(update_fields=["quantity", "paid_unit_price"])
        for market_id, amount in quotes.items():
            if amount is None:
                self.simulation.quotes.filter(market_id=market_id).delete()
            else:
                SimulationQuote.objects.update_or_create(
                    simulation=self.simulation, market_id=market_id, defaults={"amount": amount}
                )
        self.simulation.save(update_fields=["updated_at"])

    def remove(self, pk) -> bool:
        deleted, _ = self.simulation.lines.filter(pk=pk).delete()
        return bool(deleted)


class VisitorStore:
    """A visitor's one simulation, in their session: {"lines": [[price_line_id, quantity,
    price at add, paid unit price]], "quotes": {market_id: amount}}, numbers as text."""

    is_visitor = True
    name = VISITOR_NAME
    establishment = None
    non_member = False

    def __init__(self, session):
        self.session = session

    def _data(self):
        data = self.session.get(SESSION_KEY)
        return data if isinstance(data, dict) else {"lines": [], "quotes": {}}

    def _save(self, data):
        self.session[SESSION_KEY] = data
        self.session.modified = True

    def rows(self):
        return [
            (line_id, line_id, Decimal(quantity), _decimal(price), _decimal(paid))
            for line_id, quantity, price, paid in self._data()["lines"]
        ]

    def quotes(self) -> dict:
        return {int(market_id): Decimal(amount) for market_id, amount in self._data()["quotes"].items()}

    def add(self, price_line, quantity) -> bool:
        data = self._data()
        price = _text(price_line.net_price if not price_line.on_quote else None)
        for row in data["lines"]:
            if row[0] == price_line.pk:
                row[1], row[2] = str(quantity), price
                self._save(data)
                return False
        if len(data["lines"]) >= MAX_LINES:
            raise ValidationError(TOO_MANY_LINES)
        data["lines"].append([price_line.pk, str(quantity), price, None])
        self._save(data)
        return True

    def update(self, *, lines: dict, quotes: dict):
        data = self._data()
        for row in data["lines"]:
            if row[0] in lines:
                quantity, paid = lines[row[0]]
                row[1], row[3] = str(quantity), _text(paid)
        for market_id, amount in quotes.items():
            if amount is None:
                data["quotes"].pop(str(market_id), None)
            else:
                data["quotes"][str(market_id)] = str(amount)
        self._save(data)

    def remove(self, pk) -> bool:
        data = self._data()
        kept = [row for row in data["lines"] if row[0] != pk]
        removed = len(kept) != len(data["lines"])
        data["lines"] = kept
        self._save(data)
        return removed

    def clear(self):
        self.session.pop(SESSION_KEY, None)
