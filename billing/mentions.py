"""The mentions French law asks on an invoice to a public body (code de commerce L441-9,
L441-10, D441-5; CGI 242 nonies A), said once for the PDF and the Factur-X notes."""

import datetime

LATE_PENALTIES = (
    "En cas de retard de paiement, pénalités au taux d'intérêt appliqué par la Banque centrale européenne "
    "à son opération de refinancement la plus récente majoré de 8 points (art. L441-10 du code de commerce "
    "et décret n° 2013-269 du 29 mars 2013 pour les pouvoirs adjudicateurs)."
)
RECOVERY_INDEMNITY = (
    "Indemnité forfaitaire pour frais de recouvrement due en cas de retard de paiement : 40\u00a0€ "
    "(art. L441-10 et D441-5 du code de commerce)."
)
EARLY_PAYMENT = "Pas d'escompte pour paiement anticipé."


def payment_terms(due_on: datetime.date) -> str:
    return f"Paiement par virement au plus tard le {due_on:%d/%m/%Y}."
