"""Paragraph text with the import's inline marks, read as plain text."""

from __future__ import annotations

import re

from .model import (
    BOLD_OFF,
    BOLD_ON,
    BREAK,
    LABEL_OFF,
    LABEL_ON,
    LINK_MID,
    LINK_OFF,
    LINK_ON,
    TERM_OFF,
    TERM_ON,
)

_PLAIN = str.maketrans("", "", BOLD_ON + BOLD_OFF + LINK_ON + LINK_OFF + TERM_ON + TERM_OFF)
_MARKS = re.compile(f"{LABEL_ON}[^{LABEL_OFF}]*{LABEL_OFF}|{LINK_MID}[^{LINK_OFF}]*")


def plain(text: str) -> str:
    """The text as read: no emphasis, link targets or help texts."""
    return _MARKS.sub("", text).translate(_PLAIN).replace(BREAK, " ").strip()


def is_zh(text: str) -> bool:
    cjk = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")
    return cjk * 5 > len(text.replace(" ", "")) * 1 and cjk > 0
