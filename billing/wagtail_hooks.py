"""Fees and invoices in the Wagtail admin: registration only (the classes are in viewsets.py)."""

from django.contrib import messages
from django.shortcuts import redirect
from wagtail import hooks

from core.admin_registry import register_admin

from .models import FeeSchedule, Invoice
from .services import CHORUS_ACTION, CREDITED_ACTION, ISSUED_ACTION, PAID_ACTION
from .viewsets import BillingGroup, BillingPanel, permission_policy

register_admin(BillingGroup)


@hooks.register("register_log_actions")
def register_step_log_actions(actions):
    actions.register_action(ISSUED_ACTION, "Facture émise", "Facture émise")
    actions.register_action(PAID_ACTION, "Facture payée", "Facture marquée payée")
    actions.register_action(CREDITED_ACTION, "Avoir émis", "Avoir émis sur la facture")
    actions.register_action(CHORUS_ACTION, "Redépôt Chorus Pro", "Facture remise en file pour Chorus Pro")


@hooks.register("before_delete_snippet")
def keep_invoiced_schedules(request, instances):
    """A year with invoices keeps its schedule: the invoices were computed from it."""
    years = [instance.year for instance in instances if isinstance(instance, FeeSchedule)]
    if years and Invoice.objects.filter(fee_year__in=years).exists():
        messages.error(request, "Des factures ont déjà été émises pour cette année : ce barème reste.")
        return redirect("wagtailsnippets_billing_feeschedule:list")
    return None


@hooks.register("construct_homepage_panels")
def add_billing_panel(request, panels):
    if permission_policy.user_has_permission(request.user, "view"):
        panels.append(BillingPanel())
