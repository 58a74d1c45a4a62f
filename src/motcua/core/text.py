"""Text helpers with no Django import."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")
# XML 1.0, and so a cell of an XLSX workbook, cannot hold the C0 controls but tab, line feed and return.
_NOT_IN_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def fold(text: str) -> str:
    """Lower-case, strip Vietnamese diacritics and collapse spaces: "Đăng ký  Khai sinh" → "dang ky khai sinh".

    Used for search keys so that a citizen typing without diacritics finds the procedure.
    """
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped).strip().lower()


def xml_safe(text: str) -> str:
    """``text`` without the control characters an XLSX cell cannot hold: a name typed or imported with
    one must not make every export of the catalog or the reports fail."""
    return _NOT_IN_XML.sub("", text)
