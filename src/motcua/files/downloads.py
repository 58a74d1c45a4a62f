"""A stored file sent back: as an attachment that no shared cache keeps (files carry personal data)."""

from __future__ import annotations

from django.http import FileResponse

from motcua.files.models import StoredFile


def download(stored: StoredFile, name: str | None = None) -> FileResponse:
    response = FileResponse(
        stored.blob.open("rb"),
        as_attachment=True,
        filename=name or stored.name,
        content_type=stored.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response
