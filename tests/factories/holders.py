"""The holders' side: a holder's contact account, a report, a filled sales spreadsheet."""

import io

from openpyxl import Workbook

from holders.models import HolderContact
from members.models import User
from tests.factories.members import UserFactory


def holder_account(holder, email="commercial@titulaire.fr", **fields):
    """A holder contact who accepted the invitation."""
    from django.utils import timezone

    user = UserFactory(email=email, status=User.Status.HOLDER, **fields)
    HolderContact.objects.create(holder=holder, email=email, user=user, accepted_at=timezone.now())
    return user


def sales_xlsx(rows, *, headers=("SIRET", "Établissement", "Lot", "Montant HT (€)", "Quantité")) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
