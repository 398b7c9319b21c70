"""Editors' imports facing hostile files: the upload request only checks the container (a
crafted archive is refused next to the field, nothing stored, CPU bounded); the parsing runs
in the task, and a task that fails says so and can be run again."""

import io
import time
import zipfile

import pytest

from core.storage import private_storage
from markets.access import Audience
from prices.imports import CHECK_FAILED
from prices.models import ImportStatus, PriceImport
from tests.factories.hostile import rebuild, variants
from tests.factories.markets import MarketPageFactory, piece
from tests.prices.conftest import ROWS, ods, xlsx

from .conftest import document_with
from .test_admin import upload

pytestmark = pytest.mark.django_db
GOOD = xlsx(ROWS)
CASES = variants(GOOD)


@pytest.fixture
def price_piece(market_index):
    document = document_with(GOOD, "Catalogue multi-éditeurs")
    market = MarketPageFactory(parent=market_index, documents=[piece(document, "catalogue", Audience.PUBLIC)])
    return market.pieces.get()


@pytest.mark.parametrize("case", CASES)
def test_a_crafted_archive_is_refused_at_upload(client, staff, price_piece, case):
    client.force_login(staff)
    response = upload(client, price_piece, CASES[case])
    assert response.status_code == 200
    assert "endommagé ou illisible" in str(response.context["form"].errors["file"])
    assert not PriceImport.objects.exists()


def styles_bomb(elements):
    styles = zipfile.ZipFile(io.BytesIO(GOOD)).read("xl/styles.xml")
    fonts = b'<font><sz val="11"/><name val="Calibri"/></font>' * (elements // 3)
    inside = styles.index(b">", styles.index(b"<fonts")) + 1  # openpyxl builds every font in <fonts>
    return rebuild(GOOD, replace={"xl/styles.xml": styles[:inside] + fonts + styles[inside:]})


def test_a_workbook_built_of_styles_costs_the_upload_request_little(client, staff, price_piece):
    client.force_login(staff)
    bomb = styles_bomb(300_000)
    assert len(bomb) < 100 * 1024  # 19 KB: openpyxl spends about 3 s of CPU building these fonts
    started = time.process_time()
    response = upload(client, price_piece, bomb)
    spent = time.process_time() - started
    assert response.status_code == 200
    assert "trop volumineux une fois décompressé" in str(response.context["form"].errors["file"])
    assert not PriceImport.objects.exists()
    assert spent < 1.5, spent


def test_the_upload_request_does_not_parse_the_file(client, staff, price_piece):
    client.force_login(staff)
    response = upload(client, price_piece, GOOD)  # the task is queued, not run
    price_import = PriceImport.objects.get()
    assert response.status_code == 302 and price_import.status == ImportStatus.CHECKING
    assert price_import.headers == []


def test_nan_in_an_ods_is_a_row_error_not_a_stuck_check(
    client,
    staff,
    price_piece,
    django_capture_on_commit_callbacks,
):
    client.force_login(staff)
    content = ods([["Adobe", "Acrobat Pro", "PDF", float("nan"), float("inf")]])
    assert b'office:value="nan"' in content
    upload(client, price_piece, content, name="prix.ods", capture=django_capture_on_commit_callbacks)
    price_import = PriceImport.objects.get()
    assert price_import.status == ImportStatus.INVALID
    assert any("n'est pas un nombre" in error["message"] for error in price_import.errors)


def test_a_check_that_fails_says_so_and_can_be_run_again(
    client,
    staff,
    price_piece,
    django_capture_on_commit_callbacks,
):
    client.force_login(staff)
    upload(client, price_piece, GOOD, capture=django_capture_on_commit_callbacks)
    price_import = PriceImport.objects.get()
    assert price_import.status == ImportStatus.READY
    storage = private_storage()
    stored = storage.open(price_import.file_name).read()
    storage.delete(price_import.file_name)  # the storage lost the file: the task meets an OSError
    columns = {field: header for field, header in price_import.columns.items()}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/admin/prix/{price_import.pk}/", {**columns, "check": "1"})
    price_import.refresh_from_db()
    assert price_import.status == ImportStatus.FAILED and price_import.message == CHECK_FAILED
    page = client.get(f"/admin/prix/{price_import.pk}/").content.decode()
    assert "relancez-la" in page and "Vérifier le fichier" in page
    storage.save(price_import.file_name, io.BytesIO(stored))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/admin/prix/{price_import.pk}/", {**columns, "check": "1"})
    price_import.refresh_from_db()
    assert price_import.status == ImportStatus.READY and price_import.message == ""
