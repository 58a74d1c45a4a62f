"""Fast bulk inserts for the data tools (the import of historical dossiers, the demo generator).

The ORM's ``bulk_create`` spends most of an import preparing each value of each model instance in
Python; here the rows are plain tuples already in the database's types: COPY on PostgreSQL,
``executemany`` elsewhere (SQLite). Primary keys are taken up front (the sequence on PostgreSQL;
on SQLite the transaction holds the write lock from BEGIN, ``transaction_mode=IMMEDIATE``, so the
next ids are ours), so that child rows can point at their parent before either is written.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.db import connection, models


class BulkTable:
    """One model's table: ``columns`` (attribute names) are given per row, after the id; every other
    field gets its model default, prepared once."""

    def __init__(self, model: type[models.Model], columns: Sequence[str], now: datetime) -> None:
        meta = model._meta
        self.table = meta.db_table
        by_attname = {f.attname: f for f in meta.concrete_fields}
        unknown = set(columns) - set(by_attname)
        if unknown:  # pragma: no cover — a model changed under its writer
            raise ValueError(f"{self.table} has no columns {sorted(unknown)}")
        rest = [f for f in meta.concrete_fields if f.attname not in columns and not f.primary_key]
        tail = []
        for f in rest:
            value = (
                now if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False) else f.get_default()
            )
            tail.append(f.get_db_prep_save(value, connection))
        self.tail = tuple(tail)
        self.columns: list[str] = [
            "id",
            *(str(by_attname[c].column) for c in columns),
            *(str(f.column) for f in rest),
        ]

    @staticmethod
    def value(v: Any) -> Any:
        """A value as the database driver takes it: aware datetimes for psycopg, UTC text for SQLite."""
        if isinstance(v, datetime) and connection.vendor != "postgresql":
            return connection.ops.adapt_datetimefield_value(v)
        return v

    def next_ids(self, count: int) -> list[int]:
        if count == 0:
            return []
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                    [self.table, count],
                )
                return [row[0] for row in cursor.fetchall()]
            table = connection.ops.quote_name(self.table)
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608 — a model's table name
            top = cursor.fetchone()[0]
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [self.table])
            seq = cursor.fetchone()
            first = max(top, seq[0] if seq else 0) + 1
            return list(range(first, first + count))

    def insert(self, rows: list[tuple[Any, ...]]) -> None:
        """``rows`` start with the id, then the columns named, in order, in the driver's types."""
        if not rows:
            return
        tail = self.tail
        quote = connection.ops.quote_name
        names = ", ".join(quote(c) for c in self.columns)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                raw = cursor.cursor  # the psycopg cursor under Django's wrapper
                with raw.copy(f"COPY {quote(self.table)} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row + tail)
            else:
                marks = ", ".join(["%s"] * len(self.columns))
                cursor.executemany(
                    f"INSERT INTO {quote(self.table)} ({names}) VALUES ({marks})",  # noqa: S608 — model names
                    [row + tail for row in rows],
                )
