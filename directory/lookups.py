"""A prefix lookup that an index serves on every database we run.

Django's ``startswith`` is ``LIKE`` on both databases, but SQLite's ``LIKE`` ignores case and
so never uses a plain index. ``GLOB`` is case-sensitive and does. On PostgreSQL, ``LIKE 'x%'``
uses the ``varchar_pattern_ops`` index Django (or our migration) creates next to the column.
Only folded values (``[a-z0-9]``) are searched this way, so neither ``%``/``_`` nor
``*``/``?``/``[`` can appear in the pattern: it needs no escaping.
"""

import re

from django.db import models
from django.db.models import Lookup

SAFE_PREFIX = re.compile(r"^[a-z0-9]+$")


@models.CharField.register_lookup
class FoldedPrefix(Lookup):
    lookup_name = "folded_prefix"
    prepare_rhs = False
    can_use_none_as_rhs = False

    def _pattern(self, wildcard):
        if not isinstance(self.rhs, str) or not SAFE_PREFIX.match(self.rhs):
            raise ValueError("folded_prefix takes lowercase letters and digits only.")
        return self.rhs + wildcard

    def as_sql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        return f"{lhs} LIKE %s", [*params, self._pattern("%")]

    def as_sqlite(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        return f"{lhs} GLOB %s", [*params, self._pattern("*")]
