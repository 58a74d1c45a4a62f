"""Uploads from a page's form, stored through the files service: the file's id, or what is wrong with it."""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest

from motcua.accounts.current import user_of
from motcua.core.errors import InvalidInput
from motcua.files.services import store_upload


def store(request: HttpRequest, upload: UploadedFile) -> tuple[str | None, list[str]]:
    """Store one upload: (file id, errors)."""
    try:
        stored = store_upload(
            actor=user_of(request),
            name=upload.name or "",
            stream=upload,
            size=upload.size or 0,
        )
    except InvalidInput as exc:
        return None, [m for msgs in exc.fields.values() for m in msgs] or [str(exc.message)]
    return str(stored.id), []
