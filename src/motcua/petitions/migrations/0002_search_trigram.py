"""The public search of published answers: ``search LIKE '%words%'`` served by a trigram GIN index
on PostgreSQL (pg_trgm, a trusted extension: the database owner may create it). SQLite has no such
index and scans; it serves development and tests.

``fastupdate = off``: petitions are written a few times a day, so each write goes into the index at
once rather than into a pending list that every search must read until a vacuum merges it."""

from typing import Any

from django.db import migrations

CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS petition_search_trgm ON petitions_petition "
    "USING gin (search gin_trgm_ops) WITH (fastupdate = off) WHERE status = 'published'",
]
DROP = ["DROP INDEX IF EXISTS petition_search_trgm"]


def _run(statements: list[str]) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        for sql in statements:
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("petitions", "0001_initial")]

    operations = [migrations.RunPython(_run(CREATE), _run(DROP))]
