"""Uploads bounded while the body is read.

Django writes a posted file to memory or a temporary file before any view runs, whatever its
size. A handler placed first stops reading a file past the size limit and skips files past the
count, so memory and disk stay within the limits; a sender the view refuses (over an hourly
limit) gets no file read at all. The CSRF check runs after the handler is in place, as
Django's documentation orders for views that change upload handlers.
"""

from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from .tables import megabytes


class BoundedUploadHandler(FileUploadHandler):
    def __init__(self, request=None, *, max_bytes, max_count=1, refuse_all=False):
        super().__init__(request)
        self.max_bytes = max_bytes
        self.max_count = max_count
        self.refuse_all = refuse_all
        self.count = 0
        self.received = 0
        self.skipped = []  # (reason: "size" or "count", file name)

    def new_file(self, field_name, *args, **kwargs):
        super().new_file(field_name, *args, **kwargs)
        self.received = 0
        self.count += 1

    def receive_data_chunk(self, raw_data, start):
        # Skipping here, not in new_file: by now every handler has opened this file, so
        # Django's clean-up closes this one and not the file received before it.
        if self.refuse_all:
            raise SkipFile
        if self.count > self.max_count:
            if start == 0:
                self.skipped.append(("count", self.file_name))
            raise SkipFile
        self.received += len(raw_data)
        if self.received > self.max_bytes:
            self.skipped.append(("size", self.file_name))
            raise SkipFile
        return raw_data

    def file_complete(self, file_size):
        return None


def skipped_uploads(request) -> list[tuple[str, str]]:
    """What the handler refused: (reason, file name) pairs."""
    handler = next((h for h in request.upload_handlers if isinstance(h, BoundedUploadHandler)), None)
    return handler.skipped if handler else []


class BoundedUploadMixin:
    """A view that takes files: `upload_max_bytes` (or `get_upload_max_bytes()` when a setting
    says it) and `upload_max_count`; `refuse_uploads(request)` says when no file may be read."""

    upload_max_bytes = None
    upload_max_count = 1

    @classmethod
    def as_view(cls, **initkwargs):
        # The CSRF check reads the body: it runs in dispatch, once the handler is in place.
        return csrf_exempt(super().as_view(**initkwargs))

    def dispatch(self, request, *args, **kwargs):
        self.uploads_refused = False
        if request.method == "POST":
            self.uploads_refused = self.refuse_uploads(request)
            handler = BoundedUploadHandler(
                request,
                max_bytes=self.get_upload_max_bytes(),
                max_count=self.upload_max_count,
                refuse_all=self.uploads_refused,
            )
            request.upload_handlers.insert(0, handler)
        return csrf_protect(super().dispatch)(request, *args, **kwargs)

    def get_upload_max_bytes(self) -> int:
        return self.upload_max_bytes

    def refuse_uploads(self, request) -> bool:
        return False

    def add_upload_errors(self, form, field="file"):
        """What the handler refused, next to `field` instead of "Ce champ est obligatoire"."""
        skipped = skipped_uploads(self.request)
        if not skipped:
            return
        form.errors.pop(field, None)
        for reason, _name in skipped:
            if reason == "size":
                message = f"Le fichier est trop lourd : la limite est de {megabytes(self.get_upload_max_bytes())} Mo."
            else:
                message = f"Joignez {self.upload_max_count} fichier(s) au plus."
            form.add_error(field, ValidationError(message, code=reason))
