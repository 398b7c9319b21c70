"""The import workflow: upload (file kept in private storage), check (errors or the
difference with the current lines), apply. The request that receives the file only checks
what is cheap (size, format, the archive unpacked once within its bounds: core.tables) and
stores it; reading the headers, proposing the mapping and checking every row run as a task,
as does applying (django-tasks: immediate in development and tests, the database worker in
production), bounded in CPU, and record their progress on the PriceImport the admin page
shows. A task that fails, whatever the reason, says so on the import, which can be retried."""

import logging
import posixpath
import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from core.actions import record_step
from core.storage import private_storage
from core.tables import TableUnreadable

from .models import ImportStatus, PriceImport
from .parsing import check_file, propose_columns, read_headers, read_price_table
from .services import apply_lines, compare_import, remember_columns, remembered_columns

logger = logging.getLogger(__name__)

CHECK_FAILED = (
    "La vérification s'est interrompue sur une erreur imprévue : relancez-la. Si l'échec se répète, "
    "enregistrez le fichier à nouveau depuis votre tableur et déposez-le."
)
BUSY = "Cet import est en cours ou déjà appliqué."
NOT_READY = "Vérifiez le fichier avant de l'appliquer."
CHECK_ACTION = "canut.price_import.check"
APPLY_ACTION = "canut.price_import.apply"

APPLY_FAILED = "L'application s'est interrompue sur une erreur imprévue : aucun prix n'a changé. Relancez-la."


def create_import(*, market, document, file, applies_from, holder=None, lot="", user=None) -> PriceImport:
    """Keep the upload (or the piece's own file), TableUnreadable if its container is refused.
    The headers and the mapping come from the check task (`enqueue_check`)."""
    source = file or document.file
    check_file(source)
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
        created_by=user if user and user.is_authenticated else None,
    )


def _read_headers(price_import):
    """The first check of an import: its headers, and the mapping proposed from them."""
    with private_storage().open(price_import.file_name, "rb") as handle:
        price_import.header_row, price_import.headers = read_headers(handle)
    price_import.columns = propose_columns(price_import.headers, remembered_columns(price_import.market))
    price_import.save(update_fields=["header_row", "headers", "columns"])


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
        if not price_import.headers:
            _read_headers(price_import)
        parsed = _parse(price_import, _progress(price_import))
    except TableUnreadable as error:
        return _fail(price_import, error.messages[0])
    except Exception:
        logger.exception("Price import %s: the check failed", price_import.pk)
        return _fail(price_import, CHECK_FAILED)
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


def _fail(price_import, message):
    price_import.status, price_import.message, price_import.errors = ImportStatus.FAILED, message, []
    price_import.save(update_fields=["status", "message", "errors"])
    return price_import


def run_apply(price_import):
    if price_import.status != ImportStatus.READY:
        return price_import
    PriceImport.objects.filter(pk=price_import.pk).update(status=ImportStatus.APPLYING)
    try:
        return _apply(price_import)
    except Exception:
        logger.exception("Price import %s: applying failed", price_import.pk)
        # Nothing was applied (one transaction): the import is ready again, to be retried.
        price_import.status, price_import.message = ImportStatus.READY, APPLY_FAILED
        price_import.save(update_fields=["status", "message"])
        return price_import


def _apply(price_import):
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
        price_import.message = ""
        price_import.save(update_fields=["status", "applied_at", "message"])
    return price_import


@task()
def check_price_import(import_id: int) -> None:
    run_check(PriceImport.objects.select_related("market", "document").get(pk=import_id))


@task()
def apply_price_import(import_id: int) -> None:
    run_apply(PriceImport.objects.select_related("market", "document").get(pk=import_id))


def import_check(*, price_import: PriceImport, columns: dict, by) -> PriceImport:
    """Staff step "Vérifier le fichier": keep the mapping and queue the check; who and when
    in Wagtail's history (core.actions.record_step). ValidationError if the import runs or
    is applied."""

    def perform(locked: PriceImport) -> PriceImport:
        if locked.running or locked.status == ImportStatus.APPLIED:
            raise ValidationError(BUSY)
        locked.columns = columns
        locked.status = ImportStatus.CHECKING
        locked.save(update_fields=["columns", "status"])
        enqueue_check(locked)
        return locked

    return record_step(instance=price_import, action=CHECK_ACTION, by=by, perform=perform, data={"columns": columns})


def import_apply(*, price_import: PriceImport, by) -> PriceImport:
    """Staff step "Appliquer ces prix": queue the apply of a checked import; who and when in
    Wagtail's history. ValidationError unless the check found no error."""

    def perform(locked: PriceImport) -> PriceImport:
        if locked.running or locked.status == ImportStatus.APPLIED:
            raise ValidationError(BUSY)
        if locked.status != ImportStatus.READY:
            raise ValidationError(NOT_READY)
        enqueue_apply(locked)
        return locked

    data = {"applies_from": str(price_import.applies_from)}
    return record_step(instance=price_import, action=APPLY_ACTION, by=by, perform=perform, data=data)


def enqueue_check(price_import):
    PriceImport.objects.filter(pk=price_import.pk).update(status=ImportStatus.CHECKING, progress=0)
    transaction.on_commit(lambda: check_price_import.enqueue(import_id=price_import.pk))


def enqueue_apply(price_import):
    transaction.on_commit(lambda: apply_price_import.enqueue(import_id=price_import.pk))
