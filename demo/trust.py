"""Demo of how an account and an establishment get trusted: demo accounts have confirmed
addresses and approved memberships; one newcomer (address confirmed, account pending) asks
to join the demo member's establishment, and the demo member has objected, so staff see a
join request to decide in "Validation CANUT" → "Modifications"."""

from django.utils import timezone

from members.models import Establishment, JoinObjection, PendingChange, User

from .support import DEMO_MEMBER

NEWCOMER = {
    "email": "t.nouveau@nyons.fr",
    "first_name": "Thomas",
    "last_name": "Nouveau",
    "function": "Chargé de mission numérique",
    "establishment_phone": "04 75 26 50 00",
}
OBJECTION = "Je ne connais pas cette personne dans nos services : merci de vérifier auprès de la mairie."


def ensure_trust():
    """Idempotent: confirms the demo accounts' addresses, then the one pending join request."""
    User.objects.filter(email_confirmed_at__isnull=True, status=User.Status.ACTIVE).update(
        email_confirmed_at=timezone.now()
    )
    member = User.objects.filter(email=DEMO_MEMBER).first()
    establishment = Establishment.objects.filter(users=member).order_by("pk").first() if member else None
    if establishment is None:
        return
    newcomer = User.objects.filter(email=NEWCOMER["email"]).first()
    if newcomer is None:
        newcomer = User(**NEWCOMER, status=User.Status.PENDING, email_confirmed_at=timezone.now())
        newcomer.set_unusable_password()  # a demo character: nobody logs in as them
        newcomer.save()
    change, _ = PendingChange.objects.get_or_create(
        kind=PendingChange.Kind.ATTACHMENT,
        requested_by=newcomer,
        establishment=establishment,
        defaults={"status": PendingChange.Status.PENDING},
    )
    if change.is_pending:
        JoinObjection.objects.get_or_create(change=change, user=member, defaults={"reason": OBJECTION})
