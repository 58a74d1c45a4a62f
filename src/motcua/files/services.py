"""Writes for uploaded files: checked by content, hashed, stored through Django's storage API."""

from __future__ import annotations

import hashlib
from typing import IO

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import User
from motcua.core.errors import InvalidInput
from motcua.files import sniff
from motcua.files.models import StoredFile

MAX_BYTES = settings.MOTCUA_MAX_UPLOAD_BYTES


def store_upload(*, actor: User | None, name: str, stream: IO[bytes], size: int) -> StoredFile:
    if size > MAX_BYTES:
        raise InvalidInput(
            _("The file is larger than %(mb)s MB.") % {"mb": MAX_BYTES // (1024 * 1024)},
            code="file_too_large",
            fields={"file": [_("The file is larger than %(mb)s MB.") % {"mb": MAX_BYTES // (1024 * 1024)}]},
        )
    data = stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise InvalidInput(code="file_too_large", fields={"file": [_("The file is too large.")]})
    if not data:
        raise InvalidInput(fields={"file": [_("The file is empty.")]})
    mime = sniff.detect(data[:8192], data)
    if mime is None:
        raise InvalidInput(
            _("Only PDF, JPEG, PNG, DOCX and XLSX files are accepted."),
            code="file_type_not_allowed",
            fields={"file": [_("Only PDF, JPEG, PNG, DOCX and XLSX files are accepted.")]},
        )
    safe_name = "".join(ch for ch in name if ch.isprintable() and ch not in "/\\\x00")[:200] or "tep"
    digest = hashlib.sha256(data).hexdigest()
    stored = StoredFile(name=safe_name, content_type=mime, size=len(data), sha256=digest, uploaded_by=actor)
    stored.blob.save(f"{digest[:2]}/{stored.id}{sniff.ALLOWED[mime]}", ContentFile(data), save=False)
    stored.save()
    return stored
