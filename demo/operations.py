"""Demo of the production side: one email given up on, as staff see it in "Emails en échec"."""

from core.models import EmailFailure

FAILURES = [
    {
        "template": "members/emails/account_approved",
        "recipients": "s.martin@mairie-de-saint-exemple.fr",
        "subject": "Votre compte CANUT est activé",
        "attempts": 1,
        "reason": "SMTPRecipientsRefused: {'s.martin@mairie-de-saint-exemple.fr': (550, b'5.1.1 Mailbox unknown')}",
    },
]


def ensure_email_failures():
    for failure in FAILURES:
        EmailFailure.objects.get_or_create(
            template=failure["template"], recipients=failure["recipients"], defaults=failure
        )
