"""Screenshots and PDFs joined to a request, checked by what they contain, not by their name.

PNG and JPEG must open and fully decode with Pillow (a renamed executable or a truncated
image fails); a PDF must start with %PDF- and parse with pypdf. The upload handler stops
reading a file past the size limit and files past the count, so an anonymous sender cannot
make the server store more than the limits even temporarily.
"""

import logging
import warnings

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.utils.text import get_valid_filename
from PIL import Image
from pypdf import PdfReader

logger = logging.getLogger(__name__)

FORMATS = {"PNG": "png", "JPEG": "jpeg"}
EXTENSIONS = {"png": "png", "jpeg": "jpg", "pdf": "pdf"}
MAX_PIXELS = 40_000_000  # a 4K screenshot is 8 million; beyond this decoding costs too much
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


def _image_kind(file) -> str | None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(file) as image:
                kind = FORMATS.get(image.format)
                if kind is None or image.width * image.height > MAX_PIXELS:
                    return None
                image.load()  # decodes every pixel: a truncated file raises here
        return kind
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        return None


def _is_pdf(file) -> bool:
    if file.read(5) != b"%PDF-":
        return False
    file.seek(0)
    try:
        reader = PdfReader(file, strict=False)
        return len(reader.pages) > 0
    except Exception:  # pypdf raises many kinds on a damaged file: all mean "not a PDF"
        logger.info("Unreadable PDF refused", exc_info=True)
        return False


def attachment_kind(file) -> str:
    """ "png", "jpeg" or "pdf" by content; ValidationError (in French) for anything else."""
    name = safe_name(file.name)
    if getattr(file, "assistance_too_large", False) or file.size > settings.ASSISTANCE_ATTACHMENT_MAX_BYTES:
        raise _too_large(name)
    if not file.size:
        raise ValidationError(f"« {name} » est vide.", code="empty")
    try:
        file.seek(0)
        kind = "pdf" if _is_pdf(file) else None
        if kind is None:
            file.seek(0)
            kind = _image_kind(file)
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
    for file in files[: settings.ASSISTANCE_ATTACHMENT_MAX_COUNT]:
        try:
            checked.append((file, attachment_kind(file)))
        except ValidationError as error:
            errors.append(error)
    if errors:
        raise ValidationError(errors)
    return checked


class BoundedUploadHandler(FileUploadHandler):
    """Goes first: stops reading a file past the size limit and skips files past the count
    (the form then says which), so the temporary files stay within the limits too."""

    def __init__(self, request=None):
        super().__init__(request)
        self.count = 0
        self.received = 0
        self.skipped = []

    def new_file(self, field_name, *args, **kwargs):
        super().new_file(field_name, *args, **kwargs)
        self.received = 0
        self.count += 1

    def receive_data_chunk(self, raw_data, start):
        # Skipping here, not in new_file: by now every handler has opened this file, so
        # Django's clean-up closes this one and not the file received before it.
        if self.count > settings.ASSISTANCE_ATTACHMENT_MAX_COUNT:
            if start == 0:
                self.skipped.append(("count", self.file_name))
            raise SkipFile
        self.received += len(raw_data)
        if self.received > settings.ASSISTANCE_ATTACHMENT_MAX_BYTES:
            self.skipped.append(("size", self.file_name))
            raise SkipFile
        return raw_data

    def file_complete(self, file_size):
        return None


def skipped_errors(request) -> list[ValidationError]:
    """What the upload handler refused before the form saw it."""
    handler = next((h for h in request.upload_handlers if isinstance(h, BoundedUploadHandler)), None)
    if handler is None:
        return []
    errors = []
    for reason, name in handler.skipped:
        if reason == "size":
            errors.append(_too_large(safe_name(name)))
        elif not any(e.code == "count" for e in errors):
            errors.append(
                ValidationError(f"Joignez {settings.ASSISTANCE_ATTACHMENT_MAX_COUNT} fichiers au plus.", code="count")
            )
    return errors
