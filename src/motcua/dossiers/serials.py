"""The per-agency daily counters behind dossier codes (``DailySerial``; the format is ``codes``).

Three writers keep the counters: receipt (one code at a time), the import of historical dossiers
and the demo generator (many at once, with codes already made). All of them go through here, so
the locking is written once.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime

from django.db import connection
from django.utils import timezone

from motcua.dossiers.codes import format_code
from motcua.dossiers.models import DailySerial, Dossier


def assign_code(dossier: Dossier, received_at: datetime) -> None:
    """Give a received dossier, already written, its code. The serial comes from one upsert that
    locks the agency's counter row for the day until commit, so concurrent receipts get distinct,
    consecutive serials and a rolled-back one gives its number back.

    Call it last in the transaction: every statement after it keeps the other desks of the agency
    waiting. (With the upsert before the inserts, 16 counter clients spent most of their time in
    PostgreSQL's Lock:transactionid wait, at about 66 dossiers/s.)"""
    day = received_at.astimezone(timezone.get_default_timezone()).date()
    serials = DailySerial._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {serials} (agency_id, day, last) VALUES (%s, %s, 1) "  # noqa: S608 — a model's table
            f"ON CONFLICT (agency_id, day) DO UPDATE SET last = {serials}.last + 1 RETURNING last",
            [dossier.receiving_agency_id, day],
        )
        serial = cursor.fetchone()[0]
        dossier.code = format_code(dossier.receiving_agency.code, day, serial)
        cursor.execute(
            f"UPDATE {Dossier._meta.db_table} SET code = %s WHERE id = %s",  # noqa: S608 — a model's table
            [dossier.code, dossier.pk],
        )


def advance(highest: Mapping[tuple[int, date], int]) -> None:
    """Move each (agency id, day) counter up to at least the serial given, never down, so that codes
    allocated later never collide with codes written in bulk. One upsert, atomic against receipts
    happening meanwhile (the rows stay locked until commit)."""
    if not highest:
        return
    table = connection.ops.quote_name(DailySerial._meta.db_table)
    greatest = "GREATEST" if connection.vendor == "postgresql" else "MAX"
    adapt = connection.ops.adapt_datefield_value
    rows = [(agency, adapt(day), last) for (agency, day), last in sorted(highest.items())]
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} (agency_id, day, last) VALUES (%s, %s, %s) "  # noqa: S608 — a model's table
            f"ON CONFLICT (agency_id, day) DO UPDATE SET last = {greatest}({table}.last, excluded.last)",
            rows,
        )
