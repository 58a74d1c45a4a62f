"""Text helpers with no Django import."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Lower-case, strip Vietnamese diacritics and collapse spaces: "Đăng ký  Khai sinh" → "dang ky khai sinh".

    Used for search keys so that a citizen typing without diacritics finds the procedure.
    """
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped).strip().lower()
