from django.db import models
from wagtail.documents.models import AbstractDocument, Document

from core.storage import private_storage


class MarketDocument(AbstractDocument):
    """Wagtail's document, kept in private storage: no file is ever behind a public URL."""

    file = models.FileField("fichier", upload_to="documents", storage=private_storage)

    admin_form_fields = Document.admin_form_fields

    class Meta(AbstractDocument.Meta):
        verbose_name = "document"
        verbose_name_plural = "documents"
