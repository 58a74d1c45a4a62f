"""Writes of the warehouse: what the State holds enters it at two moments.

- The documents the desk received (with a file): when the dossier is received, because that is
  when an officer has checked them against the originals (``take_in_received``).
- The electronic result: when it is handed over (``push_result``), the moment the applicant
  may have it (the same rule as its download).

A file already kept for the applicant is not kept twice (unique per owner and file).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime

from motcua.core.text import fold
from motcua.dossiers.models import Dossier, DossierDocument
from motcua.warehouse.models import Source, WarehouseDocument

_RESULT_NAME_END = re.compile(r"[;(]")


def take_in_received(dossier: Dossier, documents: Iterable[DossierDocument], now: datetime) -> None:
    """The digitised documents of a dossier the desk has just received."""
    rows = [
        WarehouseDocument(
            owner=dossier.applicant_id_number,
            code=d.code,
            name=d.name,
            name_key=fold(d.name),
            file_id=d.file_id,
            source=Source.SUBMITTED,
            dossier=dossier,
            issued_at=now,
        )
        for d in documents
        if d.file_id is not None
    ]
    if rows:
        WarehouseDocument.objects.bulk_create(rows, ignore_conflicts=True)


def result_name(dossier: Dossier) -> str:
    """The result's name as the procedure publishes it, without its notes: "Giấy khai sinh (bản
    chính); …" → "Giấy khai sinh", so that it matches the same paper asked for by another procedure."""
    version = dossier.procedure_version
    text = _RESULT_NAME_END.split(version.result_text, maxsplit=1)[0].strip().rstrip(".").strip()
    return text or version.name


def push_result(dossier: Dossier, now: datetime) -> None:
    """The electronic result, as it is handed over; the dossier is marked ``result_pushed_to_warehouse``
    (the caller saves it)."""
    if dossier.result_file_id is None:
        return
    name = result_name(dossier)[:2000]
    WarehouseDocument.objects.bulk_create(
        [
            WarehouseDocument(
                owner=dossier.applicant_id_number,
                code=f"KQ.{dossier.procedure.code}",
                name=name,
                name_key=fold(name),
                file_id=dossier.result_file_id,
                source=Source.RESULT,
                dossier=dossier,
                issued_at=dossier.resolved_at or now,
            )
        ],
        ignore_conflicts=True,
    )
    dossier.result_pushed_to_warehouse = True
