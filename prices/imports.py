"""The import workflow: upload (file kept in private storage), check (errors or the
difference with the current lines), apply. Check and apply run as tasks (django-tasks:
immediate in development and tests, the database worker in production) and record their
progress on the PriceImport the admin page shows."""

import posixpath
import uuid

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from core.storage import private_storage
from core.tables import TableUnreadable

from .models import ImportStatus, PriceImport
from .parsing import propose_columns, read_headers, read_price_table
from .services import apply_lines, compare_import, remember_columns, remembered_columns


def create_import(*, market, document, file, applies_from, holder=None, lot="", user=None) -> PriceImport:
    """Keep the upload (or the piece's own file) and propose a mapping; TableUnreadable if unreadable."""
    source = file or document.file
    header_row, headers = read_headers(source)
    name = posixpath.basename(getattr(file, "name", "") or document.file.name) or "prix.xlsx"
    source.seek(0)
    stored = private_storage().save(f"prices/{uuid.uuid4().hex}/{name}", source)
    return PriceImport.objects.create(
        market=market,
        document=document,
        holder=holder,
        lot=lot,
        file_name=stored,
        original_name=name,
        applies_from=applies_from,
        headers=headers,
        header_row=header_row,
        columns=propose_columns(headers, remembered_columns(market)),
        created_by=user if user and user.is_authenticated else None,
    )


def _parse(price_import, progress=None):
    with private_storage().open(price_import.file_name, "rb") as handle:
        return read_price_table(handle, columns=price_import.columns, progress=progress)


def _progress(price_import):
    def report(rows):
        PriceImport.objects.filter(pk=price_import.pk).update(progress=rows)

    return report


def run_check(price_import):
    price_import.status = ImportStatus.CHECKING
    price_import.progress = 0
    price_import.save(update_fields=["status", "progress"])
    try:
        parsed = _parse(price_import, _progress(price_import))
    except TableUnreadable as error:
        price_import.status, price_import.message, price_import.errors = ImportStatus.FAILED, error.messages[0], []
        price_import.save(update_fields=["status", "message", "errors"])
        return price_import
    price_import.total = price_import.progress = parsed.rows_read
    price_import.errors = parsed.errors
    if parsed.errors:
        price_import.status, price_import.diff = ImportStatus.INVALID, {}
    else:
        price_import.status = ImportStatus.READY
        price_import.diff = compare_import(price_import, parsed.lines).summary()
    price_import.message = ""
    price_import.save(update_fields=["status", "total", "progress", "errors", "diff", "message"])
    return price_import


def run_apply(price_import):
    if price_import.status != ImportStatus.READY:
        return price_import
    PriceImport.objects.filter(pk=price_import.pk).update(status=ImportStatus.APPLYING)
    parsed = _parse(price_import)
    if parsed.errors:  # the file cannot change, but the mapping could have
        price_import.status, price_import.errors = ImportStatus.INVALID, parsed.errors
        price_import.save(update_fields=["status", "errors"])
        return price_import
    with transaction.atomic():
        apply_lines(
            market=price_import.market,
            document=price_import.document,
            parsed_lines=parsed.lines,
            applies_from=price_import.applies_from,
            holder=price_import.holder,
            lot=price_import.lot,
            price_import=price_import,
        )
        remember_columns(price_import.market, price_import.columns)
        price_import.status = ImportStatus.APPLIED
        price_import.applied_at = timezone.now()
        price_import.save(update_fields=["status", "applied_at"])
    return price_import


@task()
def check_price_import(import_id: int) -> None:
    run_check(PriceImport.objects.select_related("market", "document").get(pk=import_id))


@task()
def apply_price_import(import_id: int) -> None:
    run_apply(PriceImport.objects.select_related("market", "document").get(pk=import_id))


def enqueue_check(price_import):
    PriceImport.objects.filter(pk=price_import.pk).update(status=ImportStatus.CHECKING, progress=0)
    transaction.on_commit(lambda: check_price_import.enqueue(import_id=price_import.pk))


def enqueue_apply(price_import):
    transaction.on_commit(lambda: apply_price_import.enqueue(import_id=price_import.pk))
