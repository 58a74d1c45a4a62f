"""What an upload really is, from its first bytes. Plain Python, no Django import.

The name and the browser's Content-Type are chosen by the sender; the content is not.
"""

from __future__ import annotations

import io
import zipfile

import filetype

ALLOWED = {
    "application/pdf": ".pdf",
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
}
_OOXML = {
    "word/": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xl/": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def detect(head: bytes, whole: bytes | None = None) -> str | None:
    """The MIME type of an allowed kind, or None. ``whole`` is needed to tell DOCX from XLSX."""
    kind = filetype.guess(head)
    mime = kind.mime if kind else None
    if (
        mime == "application/zip"
        or (mime and mime.startswith("application/vnd.openxmlformats"))
        or head[:4] == b"PK\x03\x04"
    ):
        if whole is None:
            return None
        try:
            names = zipfile.ZipFile(io.BytesIO(whole)).namelist()
        except zipfile.BadZipFile:
            return None
        if "[Content_Types].xml" not in names:
            return None
        for prefix, ooxml in _OOXML.items():
            if any(n.startswith(prefix) for n in names):
                return ooxml
        return None
    return mime if mime in ALLOWED else None
