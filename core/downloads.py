"""The one way a private file leaves the portal: conventions, invoices, attachments,
spreadsheets, exports. Every such response carries the same headers: the name to save it
under (`Content-Disposition`), never kept by a cache or a shared proxy (`no-store`), and
never sniffed into something the browser would run (`nosniff`, set here once).
"""

import mimetypes

from django.http import FileResponse, Http404, HttpResponse
from django.utils.http import content_disposition_header

NO_STORE = "private, no-store"


def private_download(content, *, filename: str, content_type: str | None = None, inline: bool = False):
    """A response for `content` (bytes, or a stored file such as a FieldFile) saved as `filename`."""
    content_type = content_type or mimetypes.guess_type(filename)[0] or "application/octet-stream"
    if isinstance(content, bytes | bytearray):
        response = HttpResponse(content, content_type=content_type)
    else:
        try:
            handle = content.open("rb")
        except FileNotFoundError:  # the row outlived its file (a restore, a purge): a 404, not a 500
            raise Http404("Fichier introuvable.") from None
        response = FileResponse(handle, content_type=content_type)
    return mark_private(response, filename=filename, inline=inline)


def mark_private(response, *, filename: str | None = None, inline: bool = False):
    """The private-download headers on a response built elsewhere (Wagtail's listing export);
    `filename` None keeps the Content-Disposition it has."""
    if filename is not None:
        response["Content-Disposition"] = content_disposition_header(not inline, filename)
    response["Cache-Control"] = NO_STORE
    response["X-Content-Type-Options"] = "nosniff"
    return response


def stored_name(file) -> str:
    """The name a stored file is saved under by the browser: its last path segment."""
    return file.name.rsplit("/", 1)[-1]
