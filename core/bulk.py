"""Writing many rows at once, for imports of tens of thousands of lines.

`bulk_create` builds a model instance and prepares each value through its field, row by
row: for a 20,000-line price piece that was most of the import's time. `insert_rows`
takes plain tuples instead: PostgreSQL receives them through COPY (psycopg adapts the
Python values itself); other databases get the values prepared by their fields and one
`executemany`. No signal is sent and nothing is returned, as with a raw INSERT.
"""

from django.db import connection


def insert_rows(model, fields, rows):
    """Insert `rows` (tuples of Python values, in the order of `fields`) into `model`'s table."""
    meta, quote = model._meta, connection.ops.quote_name
    model_fields = [meta.get_field(name) for name in fields]
    columns = ", ".join(quote(field.column) for field in model_fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        prepared = [
            [field.get_db_prep_save(value, connection) for field, value in zip(model_fields, row, strict=True)]
            for row in rows
        ]
        placeholders = ", ".join(["%s"] * len(model_fields))
        cursor.executemany(f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({placeholders})", prepared)
