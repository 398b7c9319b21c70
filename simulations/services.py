"""Writes: create, set up, delete a member's simulations; keep a visitor's on login."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from prices.models import PriceLine
from subscriptions.selectors import member_establishments

from .models import MAX_SIMULATIONS, Simulation, SimulationLine
from .store import AccountStore, VisitorStore

TOO_MANY = f"Vous avez déjà {MAX_SIMULATIONS} simulations : supprimez-en une avant d'en créer une autre."
NAME_TAKEN = "Vous avez déjà une simulation de ce nom."


def simulation_create(*, user, name: str, establishment=None) -> Simulation:
    with transaction.atomic():
        # The limit is checked under a lock on the user's row: two requests at once cannot pass it together.
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        if Simulation.objects.filter(owner=user).count() >= MAX_SIMULATIONS:
            raise ValidationError(TOO_MANY)
        if establishment is None:
            establishment = member_establishments(user=user).first()
        if Simulation.objects.filter(owner=user, name=name.strip()).exists():
            raise ValidationError({"name": NAME_TAKEN})
        simulation = Simulation(owner=user, name=name.strip(), establishment=establishment)
        simulation.full_clean(validate_constraints=False)  # the name's uniqueness: NAME_TAKEN above
        try:
            with transaction.atomic():
                simulation.save()
        except IntegrityError:
            raise ValidationError({"name": NAME_TAKEN}) from None
    return simulation


def simulation_update(*, simulation: Simulation, user, name: str, establishment, non_member: bool) -> Simulation:
    if establishment is not None and not member_establishments(user=user).filter(pk=establishment.pk).exists():
        raise ValidationError({"establishment": "Choisissez l'un de vos établissements."})
    if Simulation.objects.filter(owner=user, name=name.strip()).exclude(pk=simulation.pk).exists():
        raise ValidationError({"name": NAME_TAKEN})
    simulation.name, simulation.establishment, simulation.non_member = name.strip(), establishment, non_member
    simulation.full_clean(validate_constraints=False)
    simulation.save()
    return simulation


def simulation_delete(*, simulation: Simulation) -> None:
    simulation.delete()


def unused_name(*, user, base: str) -> str:
    names = set(Simulation.objects.filter(owner=user, name__startswith=base).values_list("name", flat=True))
    if base not in names:
        return base
    return next(f"{base} ({n})" for n in range(2, MAX_SIMULATIONS + 2) if f"{base} ({n})" not in names)


def visitor_simulation_keep(*, session, user) -> Simulation | None:
    """The simulation a visitor started, saved in the account they log into (if room is left)."""
    visitor = VisitorStore(session)
    rows = visitor.rows()
    if not rows:
        return None
    name = unused_name(user=user, base=f"Simulation du {timezone.localdate():%d/%m/%Y}")
    try:
        simulation = simulation_create(user=user, name=name)
    except ValidationError:
        return None  # at the limit: the visitor's simulation stays in the session
    lines = PriceLine.objects.in_bulk([row[1] for row in rows])
    with transaction.atomic():
        SimulationLine.objects.bulk_create(
            SimulationLine(
                simulation=simulation,
                price_line=lines[line_id],
                quantity=quantity,
                price_at_add=price,
                paid_unit_price=paid,
            )
            for _, line_id, quantity, price, paid in rows
            if line_id in lines
        )
        AccountStore(simulation).update(lines={}, quotes=visitor.quotes())
    visitor.clear()
    return simulation
