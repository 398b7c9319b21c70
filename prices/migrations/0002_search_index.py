"""A full-text index on PostgreSQL only: SQLite (development, tests) scans instead."""

from django.db import migrations

INDEX = "prices_priceline_search_gin"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON prices_priceline "
            "USING gin (to_tsvector('simple'::regconfig, search_text))"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("prices", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
