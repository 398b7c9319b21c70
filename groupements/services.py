"""Writes for groupements: create one from a member's spreadsheet, approve or reject it."""

import os

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from core.decisions import decide
from core.emails import email_send
from directory.models import DirectoryEntry
from members.decisions import establishment_decide
from members.models import Establishment

from . import spreadsheet as sheets
from .models import Groupement, GroupementMember


def _check_parent(*, user, parent: Establishment) -> None:
    if parent.status != Establishment.Status.VALIDATED or not parent.users.filter(pk=user.pk).exists():
        raise ValidationError({"parent": "Choisissez un de vos établissements validés par la CANUT."})


@transaction.atomic
def groupement_create_from_spreadsheet(
    *, created_by, parent: Establishment, name: str, spreadsheet, market=None
) -> Groupement:
    """A pending groupement with one member per row of `spreadsheet`.

    Raises ValidationError (SpreadsheetInvalid for the file, listing every bad row);
    nothing is written unless every row is right. Child establishments are found by SIRET,
    taken from the directory, or created pending staff validation.
    """
    _check_parent(user=created_by, parent=parent)
    rows = sheets.parse(spreadsheet, parent_siret=parent.siret)

    groupement = Groupement(parent=parent, name=(name or "").strip(), market=market, created_by=created_by)
    groupement.full_clean(exclude=["spreadsheet"])
    establishments = _establishments_for(rows, created_by=created_by)

    groupement.spreadsheet_name = os.path.basename(getattr(spreadsheet, "name", "") or "")[:255]
    spreadsheet.seek(0)
    groupement.spreadsheet.save("groupement.xlsx", spreadsheet, save=False)
    try:
        groupement.save()
        members = [
            GroupementMember(
                groupement=groupement,
                establishment=establishments[row.siret],
                name=row.name,
                contact_email=row.email,
                row_number=row.number,
            )
            for row in rows
        ]
        for member in members:
            member.full_clean(
                exclude=["groupement", "establishment"], validate_unique=False, validate_constraints=False
            )
        GroupementMember.objects.bulk_create(members)
    except Exception:
        # The transaction rolls the rows back; the file outside it must go too.
        groupement.spreadsheet.delete(save=False)
        raise
    return groupement


def _establishments_for(rows, *, created_by) -> dict[str, Establishment]:
    """Establishments by SIRET: those the portal knows; else made from the directory (reference
    data, validated at once, as at registration); else as the member typed them, pending staff."""
    sirets = [row.siret for row in rows]
    known = set(Establishment.objects.filter(siret__in=sirets).values_list("siret", flat=True))
    missing = [row for row in rows if row.siret not in known]
    directory = {entry.siret: entry for entry in DirectoryEntry.objects.filter(siret__in=[r.siret for r in missing])}
    new = []
    for row in missing:
        entry = directory.get(row.siret)
        if entry is not None:
            establishment = Establishment(
                **entry.as_establishment_data(), status=Establishment.Status.VALIDATED, created_by=created_by
            )
        else:
            establishment = Establishment(
                name=row.name,
                siren=row.siret[:9],
                siret=row.siret,
                status=Establishment.Status.PENDING,
                created_by=created_by,
            )
        establishment.full_clean(validate_unique=False, validate_constraints=False)
        new.append(establishment)
    # Another upload may create the same establishment meanwhile: keep whichever came first.
    Establishment.objects.bulk_create(new, ignore_conflicts=True)
    return {e.siret: e for e in Establishment.objects.filter(siret__in=sirets)}


def _validate_children(groupement: Groupement, decided_by) -> None:
    """Staff have checked the rows: the child establishments the spreadsheet created,
    pending until now, are validated with the groupement."""
    pending = Establishment.objects.filter(
        groupement_memberships__groupement=groupement, status=Establishment.Status.PENDING
    )
    for establishment in pending:
        establishment_decide(
            establishment=establishment,
            approve=True,
            decided_by=decided_by,
            reason=f"Validé avec le groupement {groupement.name}.",
        )


def _notify(groupement: Groupement) -> None:
    """The creator, or the parent's users if that account is gone or disabled."""
    if groupement.created_by_id and groupement.created_by.is_active:
        to = [groupement.created_by.email]
    else:
        to = groupement.parent.users.filter(is_active=True).values_list("email", flat=True)
    context = {
        "groupement": {
            "name": groupement.name,
            "parent": {"name": groupement.parent.name},
            "market": {"title": groupement.market.title} if groupement.market_id else None,
            "decision_reason": groupement.decision_reason,
        },
        "validated": groupement.status == Groupement.Status.VALIDATED,
        "list_path": reverse("groupements:list"),
    }
    email_send(to=to, template="groupements/emails/decision", context=context)


def groupement_decide(*, groupement: Groupement, approve: bool, decided_by, reason: str = "") -> Groupement:
    """Staff validate the groupement (its parent may now subscribe for it), or refuse it with
    a reason the creator reads in the email."""
    return decide(
        instance=groupement,
        approve=approve,
        decided_by=decided_by,
        reason=reason,
        on_approve=lambda groupement: _validate_children(groupement, decided_by),
        notify=_notify,
    )
