"""Hostile archives, read through core.zips by every reader: one answer ("damaged" or
"inflated"), never an exception of the zip library, and memory bounded whatever they declare."""

import io
import tracemalloc
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from core.files import check_upload, content_kind
from core.tables import TableUnreadable, read_table
from core.zips import UnsafeArchive, open_archive
from tests.factories.groupements import child_rows, xlsx
from tests.factories.hostile import inflating_mimetype, patch, rebuild, variants

GOOD = xlsx([(row.siret, row.name, row.email) for row in child_rows(3)])
CASES = variants(GOOD)


def read(content, **limits):
    table = read_table(
        io.BytesIO(content), formats={"xlsx", "ods"}, max_bytes=5 * 1024 * 1024, max_rows=100, max_columns=10, **limits
    )
    return list(table.rows)


def test_the_valid_workbook_reads():
    assert len(read(GOOD)) == 4  # the headers, three rows


@pytest.mark.parametrize("case", CASES)
def test_a_crafted_workbook_is_damaged_for_the_table_reader(case):
    with pytest.raises(TableUnreadable) as error:
        read(CASES[case])
    assert error.value.code == "damaged"
    assert "endommagé ou illisible" in error.value.messages[0]


@pytest.mark.parametrize("case", CASES)
def test_a_crafted_workbook_is_damaged_for_the_content_check(case):
    upload = SimpleUploadedFile("tableur.xlsx", CASES[case])
    with pytest.raises(ValidationError) as error:
        check_upload(upload, extensions={"xlsx"}, max_bytes=5 * 1024 * 1024, max_inflated_bytes=20 * 1024 * 1024)
    assert error.value.code == "damaged"


def test_a_mimetype_unpacking_to_a_gigabyte_costs_no_memory():
    bomb = inflating_mimetype(GOOD, 1024**3)
    assert len(bomb) < 2 * 1024 * 1024
    tracemalloc.start()
    try:
        with pytest.raises(TableUnreadable) as error:
            read(bomb)
        assert content_kind(io.BytesIO(bomb)) == "xlsx"  # the sniffing reads 100 bytes of it
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert error.value.code == "inflated"
    assert peak < 5 * 1024 * 1024, peak


def test_a_member_lying_about_its_size_is_stopped_at_its_declared_size():
    """Declared 200 KB (plausible for its 50 KB compressed), unpacking to 50 MB: the stream
    stops at the declared size, read in chunks, and the lie is found."""
    honest = rebuild(GOOD, add=[("xl/extra.xml", b"<a>" + b"x" * (50 * 1024 * 1024) + b"</a>")])
    assert zipfile.ZipFile(io.BytesIO(honest)).getinfo("xl/extra.xml").compress_size < 200_000
    lying = patch(honest, "xl/extra.xml", file_size=200_000)
    tracemalloc.start()
    try:
        with pytest.raises(UnsafeArchive) as error, open_archive(lying, max_inflated_bytes=10**9) as archive:
            archive.verify()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert error.value.code == "damaged"
    assert peak < 5 * 1024 * 1024, peak


def test_every_read_counts_against_the_archive_budget():
    with open_archive(GOOD, max_inflated_bytes=10**6) as archive:
        archive.max_inflated_bytes = 100  # as if the other members had used the rest
        with pytest.raises(UnsafeArchive) as error:
            archive.verify()
    assert error.value.code == "inflated"


def test_too_many_styles_are_refused_before_openpyxl_builds_them():
    styles = zipfile.ZipFile(io.BytesIO(GOOD)).read("xl/styles.xml")
    fonts = b"<font><sz val='11'/></font>" * 40_000
    bloated = rebuild(GOOD, replace={"xl/styles.xml": styles.replace(b"<fonts", fonts + b"<fonts", 1)})
    with pytest.raises(TableUnreadable) as error:
        read(bloated)
    assert error.value.code == "inflated"


def test_an_ods_with_a_doctype_in_its_content_is_damaged():
    content = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>'
        b'<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"/>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content)
    with pytest.raises(TableUnreadable) as error:
        read(buffer.getvalue())
    assert error.value.code == "damaged"


def test_nan_in_an_ods_reads_as_text():
    content = (
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"><office:body><office:spreadsheet>'
        '<table:table table:name="Prix"><table:table-row>'
        '<table:table-cell office:value-type="float" office:value="nan"/>'
        '<table:table-cell office:value-type="float" office:value="inf"/>'
        "</table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content)
    [row] = read(buffer.getvalue())
    assert [cell.value for cell in row] == ["nan", "inf"]


def test_a_slow_workbook_is_stopped_by_the_time_budget():
    with pytest.raises(TableUnreadable) as error:
        read(GOOD, max_seconds=0.0)
    assert error.value.code == "too_slow"
