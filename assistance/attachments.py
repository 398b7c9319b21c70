"""Screenshots and PDFs joined to a request, checked by what they contain, not by their name.

PNG and JPEG must open and fully decode with Pillow (a renamed executable or a truncated
image fails); a PDF must start with %PDF- and parse with pypdf. The upload handler stops
reading a file past the size limit and files past the count, so an anonymous sender cannot
make the server store more than the limits even temporarily; a sender over the hourly limit
has none of their files read at all.

What checking may cost is bounded before anything is decoded, since an anonymous visitor
chooses the file: the pixel count, and for a JPEG the number of scans (a progressive JPEG
whose last scan is repeated 300 times cost 10 s to decode); for a PDF the number of objects
and the pages its tree declares. A CPU budget, shared by the files of one request, stops
whatever slips past (the file is read through a clock, in small reads). Past any bound the
file is refused with the same message as an unreadable one.
"""

import io
import logging
import re
import time
import warnings

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.utils.text import get_valid_filename
from PIL import Image
from pypdf import PdfReader

from core.uploads import skipped_uploads

logger = logging.getLogger(__name__)

FORMATS = {"PNG": "png", "JPEG": "jpeg"}
EXTENSIONS = {"png": "png", "jpeg": "jpg", "pdf": "pdf"}
MAX_PIXELS = 25_000_000  # a 4K screenshot is 8 million, a 6K one 20 million
# A progressive JPEG decodes every scan over the whole image: pixels × scans is the work.
# A camera's progressive photo has about 10 scans: 12 million pixels × 10 passes.
MAX_JPEG_SCANS = 20
MAX_JPEG_WORK = 150_000_000
MAX_PDF_OBJECTS = 20_000
MAX_PDF_PAGES = 500
CPU_BUDGET = 3.0  # seconds of the thread's CPU, for every file of one request
READ_SIZE = 4096  # bytes a decoder is given at a time
ACCEPT = ".png,.jpg,.jpeg,.pdf,image/png,image/jpeg,application/pdf"


def limits_help() -> str:
    count, size = settings.ASSISTANCE_ATTACHMENT_MAX_COUNT, settings.ASSISTANCE_ATTACHMENT_MAX_BYTES
    return f"Copies d'écran (PNG, JPEG) ou documents PDF : {count} fichiers au plus, {size // 1024 // 1024} Mo chacun."


def safe_name(name: str, *, limit: int = 150) -> str:
    try:
        return get_valid_filename(name or "fichier")[:limit]
    except SuspiciousFileOperation:  # nothing usable left in the name
        return "fichier"


def _too_large(name):
    limit = settings.ASSISTANCE_ATTACHMENT_MAX_BYTES // 1024 // 1024
    return ValidationError(f"« {name} » dépasse {limit} Mo : réduisez-le ou envoyez une copie d'écran.", code="size")


class TooCostly(Exception):
    """Checking the file would cost more than the budget allows."""


class _Budget:
    def __init__(self, seconds=None):
        self.deadline = time.thread_time() + (CPU_BUDGET if seconds is None else seconds)

    def check(self):
        if time.thread_time() > self.deadline:
            raise TooCostly


class _Clocked(io.RawIOBase):
    """The upload as a decoder reads it: each read looks at the budget."""

    def __init__(self, file, budget):
        super().__init__()
        self.file, self.budget = file, budget

    def readable(self):
        return True

    def seekable(self):
        return True

    def read(self, size=-1):
        self.budget.check()
        return self.file.read(-1 if size is None else size)  # within the size limit

    def readinto(self, buffer):
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def seek(self, offset, whence=io.SEEK_SET):
        return self.file.seek(offset, whence)

    def tell(self):
        return self.file.tell()


def jpeg_scans(data: bytes) -> int | None:
    """How many scans (SOS markers) a JPEG holds, by walking its segments; None if malformed."""
    position, scans = 2, 0
    while position < len(data) - 3:
        if data[position] != 0xFF:
            return None
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        if marker == 0xD9:  # end of image
            return scans
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:  # no length
            position += 2
            continue
        length = int.from_bytes(data[position + 2 : position + 4], "big")
        position += 2 + length
        if marker == 0xDA:
            scans += 1
            # Entropy-coded data: a 0xFF in it is followed by 0x00 or a restart marker.
            while True:
                position = data.find(b"\xff", position)
                if position < 0:
                    return scans
                following = data[position + 1 : position + 2]
                if following == b"\x00" or (following and 0xD0 <= following[0] <= 0xD7):
                    position += 2
                    continue
                break
    return scans


def _image_kind(file, budget) -> str | None:
    data = file.read()  # within the size limit
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(_Clocked(io.BytesIO(data), budget)) as image:  # reads the header only
                kind = FORMATS.get(image.format)
                pixels = image.width * image.height
                if kind is None or pixels > MAX_PIXELS:
                    return None
                if kind == "jpeg":
                    scans = jpeg_scans(data)
                    if scans is None or scans > MAX_JPEG_SCANS or pixels * scans > MAX_JPEG_WORK:
                        logger.info("JPEG refused before decoding: %s pixels, %s scans", pixels, scans)
                        return None
                image.decodermaxblock = READ_SIZE  # small steps: the clock is looked at often
                image.load()  # decodes every pixel: a truncated file raises here
        return kind
    except TooCostly:
        logger.info("Image refused: over the checking budget")
        return None
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        return None


_PDF_OBJECT = re.compile(rb"\d+\s+\d+\s+obj\b")


def _is_pdf(file, budget) -> bool:
    if file.read(5) != b"%PDF-":
        return False
    file.seek(0)
    objects = sum(1 for _ in _PDF_OBJECT.finditer(file.read()))
    file.seek(0)
    if objects > MAX_PDF_OBJECTS:
        logger.info("PDF refused before parsing: %s objects", objects)
        return False
    try:
        reader = PdfReader(_Clocked(file, budget), strict=False)
        declared = reader.trailer["/Root"]["/Pages"].get_object().get("/Count", 0)
        if not isinstance(declared, int) or not 0 < declared <= MAX_PDF_PAGES:
            logger.info("PDF refused before walking its pages: %r pages declared", declared)
            return False
        return 0 < len(reader.pages) <= MAX_PDF_PAGES
    except TooCostly:
        logger.info("PDF refused: over the checking budget")
        return False
    except Exception:  # pypdf raises many kinds on a damaged file: all mean "not a PDF"
        logger.info("Unreadable PDF refused", exc_info=True)
        return False


def attachment_kind(file, budget=None) -> str:
    """ "png", "jpeg" or "pdf" by content; ValidationError (in French) for anything else.
    `budget`: the CPU the check may still spend (one is shared by a request's files)."""
    budget = budget or _Budget()
    name = safe_name(file.name)
    if getattr(file, "assistance_too_large", False) or file.size > settings.ASSISTANCE_ATTACHMENT_MAX_BYTES:
        raise _too_large(name)
    if not file.size:
        raise ValidationError(f"« {name} » est vide.", code="empty")
    try:
        file.seek(0)
        kind = "pdf" if _is_pdf(file, budget) else None
        if kind is None:
            file.seek(0)
            kind = _image_kind(file, budget)
    finally:
        file.seek(0)
    if kind is None:
        raise ValidationError(
            f"« {name} » n'est ni une image PNG ou JPEG lisible, ni un document PDF valide.", code="content"
        )
    return kind


def display_name(file, kind: str) -> str:
    """What the file is called for people: the sender's name, with the extension its content has."""
    stem = safe_name((file.name or "").rsplit(".", 1)[0], limit=140)
    return f"{stem}.{EXTENSIONS[kind]}"


def validate_attachments(files) -> list[tuple[object, str]]:
    """[(file, kind)] when every file passes; else one ValidationError listing each problem."""
    errors, checked = [], []
    if len(files) > settings.ASSISTANCE_ATTACHMENT_MAX_COUNT:
        errors.append(
            ValidationError(f"Joignez {settings.ASSISTANCE_ATTACHMENT_MAX_COUNT} fichiers au plus.", code="count")
        )
    budget = _Budget()
    for file in files[: settings.ASSISTANCE_ATTACHMENT_MAX_COUNT]:
        try:
            checked.append((file, attachment_kind(file, budget)))
        except ValidationError as error:
            errors.append(error)
    if errors:
        raise ValidationError(errors)
    return checked


def skipped_errors(request) -> list[ValidationError]:
    """What the upload handler refused before the form saw it."""
    errors = []
    for reason, name in skipped_uploads(request):
        if reason == "size":
            errors.append(_too_large(safe_name(name)))
        elif not any(e.code == "count" for e in errors):
            errors.append(
                ValidationError(f"Joignez {settings.ASSISTANCE_ATTACHMENT_MAX_COUNT} fichiers au plus.", code="count")
            )
    return errors
