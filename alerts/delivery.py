"""Taking a batch's key before sending: the one guard that makes every alert idempotent."""

from django.db import IntegrityError, transaction

from .models import Delivery


def claim(key: str, kind: str):
    """The new Delivery for `key`, or None when a run (this one before, or another worker
    now) already took it. Call inside the transaction that queues the emails: if the run
    fails, the key is given back with everything else.

    On PostgreSQL a second worker inserting the same key waits for the first to commit,
    then fails on the unique constraint; SQLite serializes writers the same way.
    """
    try:
        with transaction.atomic():
            return Delivery.objects.create(key=key, kind=kind)
    except IntegrityError:
        return None
