"""Opening an uploaded zip archive (.xlsx, .ods, .docx, .zip) without trusting it.

A hostile archive can lie in its directory (sizes, names, flags), inflate a few bytes into
gigabytes, hide an archive in a part, or carry a DOCTYPE that asks the XML parser for
entities. The zip library answers with a dozen kinds of error (BadZipFile, RuntimeError for
an encrypted member, NotImplementedError for an unknown compression method, EOFError, zlib
errors…). Here every such failure is `UnsafeArchive`, with a code the caller turns into its
one French message: "damaged" (endommagé ou illisible) or "inflated" (too big once unpacked).

- `open_archive` reads the central directory only and refuses, before any member is
  unpacked: too many members, duplicate names, encrypted members (flag bits 0 and 6),
  patched data (bit 5), compression other than stored or deflate, declared sizes over the
  limits, and a compressed size no real compressor produces for the declared size.
- `member` streams one member, bounded by its declared AND its actual size and by what is
  left of the archive's budget: never read whole, never past the limit.
- `verify` streams every member once, to the end: the CRC is checked, the actual size must
  equal the declared one, an XML part may not declare a DOCTYPE nor be an archive (other
  parts may, with `nested`: a .docx embeds workbooks), and `tag_limits` bound how many XML elements a part
  holds (openpyxl's cost grows with the styles, not the bytes).
"""

import io
import zipfile
from dataclasses import dataclass, field

CHUNK = 64 * 1024
MAX_MEMBERS = 2000
ZIP_MAGIC = b"PK\x03\x04"
_XML_SUFFIXES = (".xml", ".rels", ".vml")
_ENCRYPTED = 0x01 | 0x40  # traditional and strong encryption
_PATCHED = 0x20  # "compressed patched data": nothing an office program writes
_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED}
# What an XML part may not say before its root element: entities live in the DOCTYPE.
_FORBIDDEN_PROLOG = tuple(
    marker.encode(encoding) for marker in ("<!DOCTYPE", "<!ENTITY") for encoding in ("utf-8", "utf-16-le", "utf-16-be")
)
PROLOG_BYTES = 4096


class UnsafeArchive(Exception):
    """The archive is refused; `code` is "damaged" or "inflated", `reason` says why (for logs)."""

    def __init__(self, reason, code="damaged"):
        super().__init__(reason)
        self.reason = reason
        self.code = code


@dataclass
class Archive:
    """An archive whose directory passed the checks, and what unpacking it may still cost."""

    zip: zipfile.ZipFile
    max_inflated_bytes: int
    inflated: int = 0  # bytes unpacked so far, across every read
    names: list = field(default_factory=list)

    def close(self):
        self.zip.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def declared(self, name) -> int:
        return self.zip.getinfo(name).file_size

    def member(self, name, *, limit=None, on_read=None) -> "BoundedMember":
        """A file-like reading `name`, streamed; UnsafeArchive past any bound. `on_read` is
        called before each read (a clock that may raise, for a parser reading from it)."""
        try:
            info = self.zip.getinfo(name)
            stream = self.zip.open(info)
        except KeyError:
            raise
        except Exception as error:  # RuntimeError, NotImplementedError, BadZipFile…
            raise UnsafeArchive(f"{name}: {error!r}") from error
        return BoundedMember(self, info, stream, limit, on_read)

    def head(self, name, size) -> bytes:
        """The first `size` bytes of a member (the whole member when it is shorter)."""
        with self.member(name) as stream:
            return stream.read(size)

    def verify(self, *, nested=False, tag_limits=None):
        """Unpack every member to the end, within the budget; UnsafeArchive on any lie."""
        tag_limits = tag_limits or {}
        for info in self.zip.infolist():
            if info.is_dir():
                continue
            limit = tag_limits.get(info.filename)
            xml = info.filename.lower().endswith(_XML_SUFFIXES)
            tags, first = 0, True
            with self.member(info.filename) as stream:
                prolog = b""
                while chunk := stream.read(CHUNK):
                    # An embedded workbook is an archive (allowed with `nested`), an XML part never.
                    if first and (xml or not nested) and chunk.startswith(ZIP_MAGIC):
                        raise UnsafeArchive(f"{info.filename}: an archive inside the archive")
                    first = False
                    if len(prolog) < PROLOG_BYTES and xml:
                        prolog = (prolog + chunk)[:PROLOG_BYTES]
                        if any(marker in prolog for marker in _FORBIDDEN_PROLOG):
                            raise UnsafeArchive(f"{info.filename}: a DOCTYPE")
                    if limit is not None:
                        tags += chunk.count(b"<") - chunk.count(b"</")
                        if tags > limit:
                            raise UnsafeArchive(f"{info.filename}: over {limit} elements", code="inflated")


class BoundedMember(io.RawIOBase):
    """One member, read in chunks: never more than declared, nor than the budget left."""

    def __init__(self, archive, info, stream, limit, on_read=None):
        super().__init__()
        self.on_read = on_read
        self.archive, self.info, self.stream = archive, info, stream
        self.limit = info.file_size if limit is None else min(limit, info.file_size)
        self.read_so_far = 0

    def readable(self):
        return True

    def read(self, size=-1):
        size = CHUNK if size is None or size < 0 else size
        if self.on_read is not None:
            self.on_read()
        try:
            data = self.stream.read(min(size, CHUNK))
        except Exception as error:  # bad CRC, truncated stream, zlib error, decrypter…
            raise UnsafeArchive(f"{self.info.filename}: {error!r}") from error
        self.read_so_far += len(data)
        self.archive.inflated += len(data)
        if self.read_so_far > self.info.file_size:
            raise UnsafeArchive(f"{self.info.filename}: more than its declared size")
        if self.read_so_far > self.limit or self.archive.inflated > self.archive.max_inflated_bytes:
            raise UnsafeArchive(f"{self.info.filename}: over the limit", code="inflated")
        if not data and size and self.read_so_far != self.info.file_size:
            raise UnsafeArchive(f"{self.info.filename}: less than its declared size")
        return data

    def readinto(self, buffer):
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def close(self):
        self.stream.close()
        super().close()


def _plausible(info) -> bool:
    """Whether the compressed size could come from the declared size (deflate adds ~0.03 %)."""
    if info.compress_type == zipfile.ZIP_STORED:
        return info.compress_size == info.file_size
    return info.compress_size <= info.file_size + info.file_size // 256 + 64


def open_archive(source, *, max_inflated_bytes, max_members=MAX_MEMBERS) -> Archive:
    """`source`: bytes or a seekable binary file. Checks the directory; nothing is unpacked."""
    if isinstance(source, bytes | bytearray | memoryview):
        source = io.BytesIO(source)
    try:
        archive = zipfile.ZipFile(source)
    except Exception as error:  # BadZipFile, EOFError, ValueError, OSError, struct errors…
        raise UnsafeArchive(f"directory: {error!r}") from error
    try:
        infos = archive.infolist()
        if len(infos) > max_members:
            raise UnsafeArchive(f"{len(infos)} members")
        names = [info.filename for info in infos]
        if len(set(names)) != len(names):
            raise UnsafeArchive("duplicate member names")
        total = 0
        for info in infos:
            if info.flag_bits & (_ENCRYPTED | _PATCHED):
                raise UnsafeArchive(f"{info.filename}: flags {info.flag_bits:#x}")
            if info.compress_type not in _METHODS:
                raise UnsafeArchive(f"{info.filename}: compression method {info.compress_type}")
            if not _plausible(info):
                raise UnsafeArchive(f"{info.filename}: declared size {info.file_size} for {info.compress_size}")
            total += info.file_size
            if total > max_inflated_bytes:
                raise UnsafeArchive("declared sizes over the limit", code="inflated")
    except BaseException:
        archive.close()
        raise
    return Archive(zip=archive, max_inflated_bytes=max_inflated_bytes, names=names)
