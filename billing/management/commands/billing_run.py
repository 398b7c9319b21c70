import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from billing import services
from billing.fees import euros
from billing.models import InvoiceKind


class Command(BaseCommand):
    help = (
        "Campagne de facturation : --kind first (le mois qui suit la finalisation) ou yearly "
        "(premier trimestre). Sans --issue, affiche seulement l'aperçu. Relancée, n'émet rien deux fois."
    )

    def add_arguments(self, parser):
        parser.add_argument("--kind", choices=[InvoiceKind.FIRST, InvoiceKind.YEARLY], default=InvoiceKind.FIRST)
        parser.add_argument("--date", help="Date d'émission AAAA-MM-JJ (par défaut : aujourd'hui).")
        parser.add_argument("--issue", action="store_true", help="Émettre les factures (sinon : aperçu).")

    def handle(self, *args, kind, date, issue, **options):
        try:
            today = datetime.date.fromisoformat(date) if date else timezone.localdate()
        except ValueError as error:
            raise CommandError("Date invalide : attendu AAAA-MM-JJ.") from error
        if not issue:
            drafts = services.invoices_due(kind=kind, today=today)
            for draft in drafts:
                amount = draft.problem or (euros(draft.fee.total_excl_vat) + " HT" if draft.fee else "rien à facturer")
                self.stdout.write(f"{draft.subscription} — {draft.year} : {amount}")
            self.stdout.write(f"{len(drafts)} souscription(s) ; relancez avec --issue pour émettre.")
            return
        issued = services.invoices_issue(kind=kind, today=today)
        for invoice in issued:
            self.stdout.write(f"{invoice.number} {invoice.buyer_name} {euros(invoice.total_incl_vat)} TTC")
        self.stdout.write(self.style.SUCCESS(f"{len(issued)} facture(s) émise(s)."))
