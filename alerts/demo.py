"""The demo's alerts: two saved searches of the demo member and today's digest, which the
development settings print in the console. Called by load_demo; idempotent (a second
load the same day finds the digest's key taken and sends nothing)."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from .digests import digest_run
from .models import Frequency, SavedSearch, Source

DEMO_MEMBER = "adherent.demo@canut.org"
SEARCHES = [
    ("Licences bureautiques", Source.MARKETS, {"q": ["licences"]}, Frequency.DAILY),
    ("Écrans", Source.PRICES, {"q": ["ecran"]}, Frequency.DAILY),
    ("Téléphonie (raccourci)", Source.MARKETS, {"q": ["telephonie"], "statut": ["tous"]}, Frequency.NONE),
]


def ensure_alerts(stdout=None) -> int:
    """The searches, and today's digest (the number of emails it sent: 0 when already sent)."""
    user = get_user_model().objects.filter(email__iexact=DEMO_MEMBER).first()
    if user is None:
        return 0
    # As if saved a week ago: the digest tells what the demo published since.
    week_ago = timezone.now() - datetime.timedelta(days=7)
    for name, source, params, frequency in SEARCHES:
        SavedSearch.objects.get_or_create(
            user=user,
            name=name,
            defaults={"source": source, "params": params, "frequency": frequency, "checked_until": week_ago},
        )
    sent = digest_run(frequency=Frequency.DAILY)
    if stdout is not None:
        stdout.write(f"Alertes : {len(SEARCHES)} recherches enregistrées de {DEMO_MEMBER}, {sent} résumé(s) envoyé(s)")
    return sent
