from django.core.files.storage import FileSystemStorage, storages


class PrivateFileSystemStorage(FileSystemStorage):
    """Files with no URL at all: the only way to them is a view that checks permissions."""

    def url(self, name):
        raise NotImplementedError("Private files have no public URL.")


def private_storage():
    return storages["private"]
