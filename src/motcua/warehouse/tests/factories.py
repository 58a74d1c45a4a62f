"""A full warehouse, fast: rows written directly, for the page tests that count queries."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from motcua.files.models import StoredFile
from motcua.warehouse.models import WarehouseDocument

# The procedure of the test province asks for GDN and DL; most documents of a long history are others.
CODES = ["GDN", "DL", "TK", "GCS", "GTTT", "XNHN", "CT01", "UQ"]


def fill(owner: str, dossier: Any, n: int) -> list[WarehouseDocument]:
    """``n`` warehouse documents for ``owner``, each with its own file, one day apart."""
    now = timezone.now()
    files = StoredFile.objects.bulk_create(
        StoredFile(
            name=f"giay-{i}.pdf",
            content_type="application/pdf",
            size=100,
            sha256=f"{i:064x}",
            blob=f"files/test/{i}.pdf",
        )
        for i in range(n)
    )
    return WarehouseDocument.objects.bulk_create(
        WarehouseDocument(
            owner=owner,
            code=CODES[i % len(CODES)],
            name=f"Giấy tờ số {i}",
            name_key=f"giay to so {i}",
            file=f,
            source="submitted",
            dossier=dossier,
            issued_at=now - timedelta(days=i),
        )
        for i, f in enumerate(files)
    )
