import uuid

from django.db import models


class CatalogueStamp(models.Model):
    """One row whose token changes whenever what "Tous les marchés" shows may have changed.

    The catalogue's results are cached under the token (`markets.catalogue`): a new token
    is a new set of keys, for every worker at once, whatever the cache backend. A random
    token rather than a counter: a rolled-back transaction brings back the old token, whose
    keys still describe the data as it is.
    """

    token = models.UUIDField(default=uuid.uuid4)

    class Meta:
        verbose_name = "version du catalogue"

    def __str__(self):
        return str(self.token)

    @classmethod
    def current(cls):
        return cls.objects.get_or_create(pk=1)[0].token

    @classmethod
    def renew(cls):
        if not cls.objects.filter(pk=1).update(token=uuid.uuid4()):
            cls.objects.get_or_create(pk=1)
