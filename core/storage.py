"""Private files: no URL at all, the only way to them is a view that checks permissions.

On the local disk by default (`PrivateFileSystemStorage`); on S3-compatible object storage
when `S3_BUCKET` is set (`PrivateS3Storage`, config/settings/base.py), so that every app
server reads the same files. Objects are written with the `private` ACL and never get a
URL; a download reads the object in chunks as the response is sent (ranged GETs: nothing
is held whole in memory, a seek starts a new range), so the permission-checked views stay
the only door.
"""

import io

from botocore.exceptions import ClientError
from django.core.files.base import File
from django.core.files.storage import FileSystemStorage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty
from storages.backends.s3 import S3Storage
from storages.utils import clean_name

READ_BUFFER_BYTES = 64 * 1024


class PrivateFileSystemStorage(FileSystemStorage):
    def url(self, name):
        raise NotImplementedError("Private files have no public URL.")


class S3ObjectReader(io.RawIOBase):
    """An object read front to back as its bytes arrive; seeking moves where the next ranged GET starts."""

    def __init__(self, s3_object, size):
        self._object = s3_object
        self._size = size
        self._position = 0
        self._body = None

    def readable(self):
        return True

    def seekable(self):
        return True

    def tell(self):
        return self._position

    def seek(self, offset, whence=io.SEEK_SET):
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._position, io.SEEK_END: self._size}[whence]
        target = max(0, base + offset)
        if target != self._position:
            self._close_body()
            self._position = target
        return self._position

    def readinto(self, buffer):
        if self._position >= self._size:
            return 0
        if self._body is None:
            self._body = self._object.get(Range=f"bytes={self._position}-")["Body"]
        data = self._body.read(len(buffer))
        buffer[: len(data)] = data
        self._position += len(data)
        return len(data)

    def _close_body(self):
        if self._body is not None:
            self._body.close()
            self._body = None

    def close(self):
        self._close_body()
        super().close()


class PrivateS3Storage(S3Storage):
    default_acl = "private"
    querystring_auth = True
    file_overwrite = False  # two uploads of one name keep both, as on disk

    def get_default_settings(self):
        return {**super().get_default_settings(), "default_acl": "private", "file_overwrite": False}

    def url(self, name, *args, **kwargs):
        raise NotImplementedError("Private files have no public URL.")

    def _open(self, name, mode="rb"):
        if mode != "rb":
            return super()._open(name, mode)
        s3_object = self.bucket.Object(self._normalize_name(clean_name(name)))
        try:
            s3_object.load()  # HEAD: the size, or "no such object"
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                raise FileNotFoundError(f"No such private file: {name}") from error
            raise
        reader = io.BufferedReader(S3ObjectReader(s3_object, s3_object.content_length), READ_BUFFER_BYTES)
        file = File(reader, name=name)
        file.mode = "rb"
        return file


class _PrivateStorage(LazyObject):
    """storages["private"], looked up again when the STORAGES setting changes (tests)."""

    def _setup(self):
        self._wrapped = storages["private"]


_private_storage = _PrivateStorage()


@receiver(setting_changed)
def _storages_changed(*, setting, **kwargs):
    if setting == "STORAGES":
        _private_storage._wrapped = empty


def private_storage():
    return _private_storage
