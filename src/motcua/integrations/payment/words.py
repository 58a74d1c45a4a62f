"""Amounts in Vietnamese words, as a receipt writes them ("Số tiền bằng chữ"). Plain Python."""

from __future__ import annotations

DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
GROUPS = ("", "nghìn", "triệu", "tỷ")


def _three(n: int, full: bool) -> str:
    """0 < n < 1000; ``full`` when a higher group precedes it (so "không trăm", "linh" are spoken)."""
    hundreds, tens, units = n // 100, n // 10 % 10, n % 10
    words: list[str] = []
    if hundreds or full:
        words += [DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units and words:
            words.append("linh")
    elif tens == 1:
        words.append("mười")
    else:
        words += [DIGITS[tens], "mươi"]
    if units:
        if units == 1 and tens > 1:
            words.append("mốt")
        elif units == 5 and tens > 0:
            words.append("lăm")
        elif units == 4 and tens > 1:
            words.append("tư")
        else:
            words.append(DIGITS[units])
    return " ".join(words)


def in_words(amount: int) -> str:
    """``1250000`` → "Một triệu hai trăm năm mươi nghìn đồng"."""
    if amount < 0:
        raise ValueError("a negative amount")
    if amount == 0:
        return "Không đồng"
    parts: list[str] = []
    groups: list[int] = []
    rest = amount
    while rest:
        groups.append(rest % 1000)
        rest //= 1000
    for index in range(len(groups) - 1, -1, -1):
        value = groups[index]
        if not value:
            continue
        scale = GROUPS[index % 3] if index % 3 else ""
        billions = "tỷ " * (index // 3)
        text = _three(value, full=index < len(groups) - 1)
        parts.append(" ".join(p for p in (text, scale, billions.strip()) if p))
    sentence = " ".join(parts) + " đồng"
    return sentence[0].upper() + sentence[1:]
