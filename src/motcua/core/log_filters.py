"""Keeps personal ID numbers, phone numbers and one-time links out of every log line."""

import logging
import re

# 12-digit personal IDs, 9-digit old ID cards, and Vietnamese phone numbers (0xxxxxxxxx / +84xxxxxxxxx).
_PERSONAL = re.compile(r"(?<!\d)(?:\+?84|0)\d{9}(?!\d)|(?<!\d)\d{12}(?!\d)|(?<!\d)\d{9}(?!\d)")

# The token of a survey link (/khao-sat/<token>/) opens one respondent's form: a log line must not.
_LINK_TOKEN = re.compile(r"(/khao-sat/)[A-Za-z0-9_\-]{6,}")


def mask(text: str) -> str:
    text = _LINK_TOKEN.sub(r"\1***", text)
    return _PERSONAL.sub(lambda m: "*" * (len(m.group()) - 3) + m.group()[-3:], text)


class MaskPersonalDataFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True
