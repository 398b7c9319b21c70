from django.core.exceptions import ValidationError
from django.db import models
from wagtail.documents.models import AbstractDocument, Document

from core.files import check_extension_matches
from core.storage import private_storage


class MarketDocument(AbstractDocument):
    """Wagtail's document, kept in private storage: no file is ever behind a public URL."""

    file = models.FileField("fichier", upload_to="documents", storage=private_storage)

    admin_form_fields = Document.admin_form_fields

    def clean(self):
        """Members download pieces by their extension: a workbook named .pdf is refused."""
        super().clean()
        upload = getattr(self.file, "file", None)
        if upload is not None and not self.file._committed:
            try:
                check_extension_matches(upload, self.file.name)
            except ValidationError as error:
                raise ValidationError({"file": error.messages}) from error

    class Meta(AbstractDocument.Meta):
        verbose_name = "document"
        verbose_name_plural = "documents"
