"""Archives built to break a reader: each takes a valid .xlsx (or .docx) and crafts one
hostile variant at the zip level, as an attacker would with a hex editor."""

import io
import struct
import warnings
import zipfile

LOCAL = b"PK\x03\x04"
CENTRAL = b"PK\x01\x02"


def _entries(data):
    """(name, local header offset, central entry offset) for every member."""
    end = data.rfind(b"PK\x05\x06")
    count, _, directory = struct.unpack("<HII", data[end + 10 : end + 20])
    position, found = directory, []
    for _ in range(count):
        assert data[position : position + 4] == CENTRAL
        name_length, extra_length, comment_length = struct.unpack("<HHH", data[position + 28 : position + 34])
        (local,) = struct.unpack("<I", data[position + 42 : position + 46])
        found.append((data[position + 46 : position + 46 + name_length].decode(), local, position))
        position += 46 + name_length + extra_length + comment_length
    return found


def patch(data, name, *, flags=0, method=None, crc=None, file_size=None):
    """`data` with the member `name` changed the same way in its local header and in the directory."""
    data = bytearray(data)
    for member, local, central in _entries(bytes(data)):
        if member != name:
            continue
        for header, (flags_at, method_at, crc_at, size_at) in ((local, (6, 8, 14, 22)), (central, (8, 10, 16, 24))):
            (current,) = struct.unpack("<H", data[header + flags_at : header + flags_at + 2])
            data[header + flags_at : header + flags_at + 2] = struct.pack("<H", current | flags)
            if method is not None:
                data[header + method_at : header + method_at + 2] = struct.pack("<H", method)
            if crc is not None:
                data[header + crc_at : header + crc_at + 4] = struct.pack("<I", crc)
            if file_size is not None:
                data[header + size_at : header + size_at + 4] = struct.pack("<I", file_size)
        return bytes(data)
    raise KeyError(name)


def rebuild(data, *, replace=None, add=(), stream=False):
    """The archive written again, some members' content replaced, members added (even twice)."""
    replace = replace or {}
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    target = _Unseekable(buffer) if stream else buffer
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Duplicate name": the point of some variants
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, content in add:
                archive.writestr(name, content)
            for info in source.infolist():
                archive.writestr(info.filename, replace.get(info.filename, source.read(info.filename)))
    return buffer.getvalue()


class _Unseekable(io.RawIOBase):
    """Written to as a pipe: zipfile then uses data descriptors (flag bit 3)."""

    def __init__(self, buffer):
        self.buffer = buffer

    def writable(self):
        return True

    def write(self, data):
        return self.buffer.write(data)

    def flush(self):
        pass


SHEET = "xl/worksheets/sheet1.xml"


def variants(xlsx, part=SHEET):
    """{case: crafted bytes} for a valid workbook `xlsx` (or document, `part` its main XML
    part): every one must read as damaged."""
    sheet = zipfile.ZipFile(io.BytesIO(xlsx)).read(part)
    with_mimetype = rebuild(xlsx, add=[("mimetype", "application/vnd.oasis.opendocument.spreadsheet")])
    streamed = rebuild(xlsx, stream=True)
    size = zipfile.ZipFile(io.BytesIO(xlsx)).getinfo(part).file_size
    doctype = b'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">]>' + sheet.split(b"?>", 1)[-1]
    return {
        "encrypted mimetype": patch(with_mimetype, "mimetype", flags=0x1),
        "compression method 97": patch(with_mimetype, "mimetype", method=97),
        "flag bit 5": patch(with_mimetype, "mimetype", flags=0x20),
        "patched data descriptor": patch(streamed, part, crc=0xDEADBEEF),
        "duplicate names": rebuild(xlsx, add=[(part, sheet)]),
        "declared size smaller": patch(xlsx, part, file_size=10),
        "declared size larger": patch(xlsx, part, file_size=size * 3),
        "zip inside the zip": rebuild(xlsx, replace={part: xlsx}),
        "DOCTYPE": rebuild(xlsx, replace={part: doctype}),
    }


def inflating_mimetype(xlsx, size):
    """The workbook with a `mimetype` member that unpacks to `size` bytes (a bomb, 23.2)."""
    buffer = io.BytesIO()
    source = zipfile.ZipFile(io.BytesIO(xlsx))
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        info = zipfile.ZipInfo("mimetype")
        info.compress_type = zipfile.ZIP_DEFLATED
        with archive.open(info, "w", force_zip64=True) as member:
            chunk = b"\x00" * (1024 * 1024)
            for _ in range(size // len(chunk)):
                member.write(chunk)
        for info in source.infolist():
            archive.writestr(info, source.read(info.filename))
    return buffer.getvalue()
