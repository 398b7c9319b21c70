"""Writes on a six-monthly report: the holder's draft, its sales detail and attachments,
the submission (one version kept each time), and staff's decision through core.decisions."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from core.decisions import decide
from core.emails import email_send
from core.files import check_upload
from members.models import Establishment

from . import sales
from .lots import holder_lots
from .models import Attachment, HolderContact, Report, ReportVersion
from .selectors import subscribed_establishments

SUBMIT_ACTION = "holders.report_submit"
FORM_FIELDS = (
    "commercial_actions",
    "volume",
    "return_on_investment",
    "good_practices",
    "failures",
    "corrective_measures",
    "comments",
    "gap_explanation",
)
REQUIRED = {
    "commercial_actions": "Décrivez les actions commerciales menées et leurs résultats.",
    "volume": "Indiquez le volume d'affaires global HT du semestre (0 si aucune vente).",
    "return_on_investment": "Décrivez le retour sur investissement des projets livrés.",
}
NOT_EDITABLE = "Ce rapport est soumis : il ne peut plus être modifié, sauf s'il vous est renvoyé pour correction."
MAX_ATTACHMENTS = 10
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
# Sales total vs declared volume: beyond this gap, the holder explains it.
TOLERANCE_RATE = Decimal("0.01")
TOLERANCE_MIN = Decimal("100")


def _locked_editable(report) -> Report:
    locked = Report.objects.select_for_update().get(pk=report.pk)
    if not locked.is_editable:
        raise ValidationError(NOT_EDITABLE)
    return locked


def report_save(*, report: Report, data: dict) -> Report:
    """The draft as the holder left it: nothing is required yet."""
    with transaction.atomic():
        locked = _locked_editable(report)
        for name in FORM_FIELDS:
            if name in data:
                setattr(locked, name, data[name])
        locked.save()
    return locked


def sales_total(report) -> Decimal:
    return sum((line.amount for line in report.sales_lines.all()), Decimal("0"))


def gap_too_large(*, volume, total) -> bool:
    if volume is None:
        return False
    return abs(volume - total) > max(TOLERANCE_MIN, abs(volume) * TOLERANCE_RATE)


def sales_upload(*, report: Report, file) -> int:
    """Replace the report's sales detail with the uploaded one (nothing stored while a row
    is wrong); a SIRET without a finalized subscription is kept, flagged for staff."""
    lots = holder_lots(market=report.market.specific, holder=report.holder)
    lines = sales.parse(file, lots=lots)  # TableInvalid before any write
    subscribed = {siret for siret, _ in subscribed_establishments(market=report.market)}
    establishments = dict(
        Establishment.objects.filter(siret__in={line.siret for line in lines}).values_list("siret", "pk")
    )
    with transaction.atomic():
        locked = _locked_editable(report)
        locked.sales_lines.all().delete()
        locked.sales_lines.bulk_create(
            [
                locked.sales_lines.model(
                    report=locked,
                    row=line.row,
                    siret=line.siret,
                    name=line.name,
                    lot=line.lot,
                    amount=line.amount,
                    quantity=line.quantity,
                    establishment_id=establishments.get(line.siret),
                    out_of_subscription=line.siret not in subscribed,
                )
                for line in lines
            ]
        )
        locked.save(update_fields=["updated_at"])
    return len(lines)


def attachment_add(*, report: Report, file, by) -> Attachment:
    """A PDF or .xlsx, its content checked, bounded in size and number."""
    check_upload(file, extensions={"pdf", "xlsx"}, max_bytes=ATTACHMENT_MAX_BYTES, max_inflated_bytes=50 * 1024 * 1024)
    with transaction.atomic():
        locked = _locked_editable(report)
        if locked.attachments.count() >= MAX_ATTACHMENTS:
            raise ValidationError(f"Un rapport compte {MAX_ATTACHMENTS} pièces jointes au plus.")
        name = (getattr(file, "name", "") or "piece").rsplit("/", 1)[-1][-150:]
        return Attachment.objects.create(report=locked, file=file, name=name, size=file.size, uploaded_by=by)


def attachment_remove(*, report: Report, pk: int) -> None:
    with transaction.atomic():
        locked = _locked_editable(report)
        attachment = locked.attachments.filter(pk=pk).first()
        if attachment is not None:
            attachment.file.delete(save=False)
            attachment.delete()


def missing(report) -> dict:
    """What submitting still needs, by field."""
    errors = {name: message for name, message in REQUIRED.items() if getattr(report, name) in (None, "")}
    lines = list(report.sales_lines.all())
    if lines and "volume" not in errors and not report.gap_explanation.strip():
        total = sum((line.amount for line in lines), Decimal("0"))
        if gap_too_large(volume=report.volume, total=total):
            errors["gap_explanation"] = (
                (
                    f"Le détail des ventes totalise {total:,.2f} € HT, loin du volume déclaré "
                    f"({report.volume:,.2f} €) : corrigez l'un ou l'autre, ou expliquez l'écart."
                )
                .replace(",", "\u202f")
                .replace(".", ",")
            )
    return errors


def _snapshot(report) -> dict:
    content = {name: str(getattr(report, name) if getattr(report, name) is not None else "") for name in FORM_FIELDS}
    content["sales_total"] = str(sales_total(report))
    content["sales_lines"] = report.sales_lines.count()
    content["attachments"] = [attachment.name for attachment in report.attachments.all()]
    return content


def report_submit(*, report: Report, by) -> Report:
    """Submit once complete: one version more, with who and when. Twice at once, one wins."""
    with transaction.atomic():
        locked = _locked_editable(report)
        errors = missing(locked)
        if errors:
            raise ValidationError(errors)
        now = timezone.now()
        locked.status = Report.Status.PENDING
        locked.submitted_at = now
        locked.submitted_by = by
        locked.save(update_fields=["status", "submitted_at", "submitted_by", "updated_at"])
        number = locked.versions.count() + 1
        ReportVersion.objects.create(
            report=locked, number=number, submitted_at=now, submitted_by=by, content=_snapshot(locked)
        )
        log(instance=locked, action=SUBMIT_ACTION, user=by, data={"version": number})
    return locked


def _contacts(report):
    return list(
        HolderContact.objects.filter(
            holder=report.holder, accepted_at__isnull=False, revoked_at__isnull=True
        ).values_list("email", flat=True)
    )


def report_decide(*, report: Report, approve: bool, decided_by, reason: str = "") -> Report:
    """Staff accept the report, or send it back with a reason the holder reads."""

    def notify(locked):
        locked.versions.filter(decided_at__isnull=True).update(
            decision=locked.status, decided_at=locked.decided_at, decided_by=decided_by, reason=locked.decision_reason
        )
        email_send(
            to=_contacts(locked),
            template="holders/emails/accepted" if approve else "holders/emails/sent_back",
            context={
                "market": locked.market.title,
                "holder": locked.holder.name,
                "campaign": str(locked.campaign),
                "reason": locked.decision_reason,
            },
        )

    return decide(instance=report, approve=approve, decided_by=decided_by, reason=reason, notify=notify)


def staff_notes_save(*, report: Report, notes: str) -> None:
    Report.objects.filter(pk=report.pk).update(staff_notes=notes)
