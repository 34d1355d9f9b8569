"""Typed numbers at the start of a paragraph, and the numbering style they make.

`match_number` recognises one typed number (`一、`, `（二）`, `第三条`, `1.2`,
`Article 4`, `(a)`) and says which scheme it belongs to; `Numbering` decides,
from all of a document's numbers, which clausekit numbering style imports it and
at what level each scheme sits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
CN = "零〇一二两三四五六七八九十百千万"
_UNITS = {"十": 10, "百": 100, "千": 1000}


def parse_cn(text: str) -> int:
    """`十二` -> 12, `二十` -> 20, `一百零五` -> 105, `一万零一` -> 10001; Arabic digits
    pass through."""
    if text.isdigit():
        return int(text)
    total, section, current = 0, 0, 0
    for ch in text:
        if ch in CN_DIGITS:
            current = CN_DIGITS[ch]
        elif ch in _UNITS:
            section += (current or 1) * _UNITS[ch]
            current = 0
        elif ch == "万":
            total += ((section + current) or 1) * 10000
            section, current = 0, 0
    return total + section + current


@dataclass(frozen=True)
class NumberMatch:
    scheme: str  # article | clause-kuan | zh1 | zh2 | dec | paren-num | legal | alpha | roman
    values: tuple[int, ...]  # 1.2.3 -> (1, 2, 3); 第五条 -> (5,)
    typed: str  # the number as typed, e.g. '（一）'
    rest: str  # the text after it


_RULES: list[tuple[str, re.Pattern[str]]] = [
    ("article", re.compile(rf"^第\s*([{CN}]+|\d+)\s*条(?:\s+|[：:、.．]\s*|(?=\S))")),
    ("clause-kuan", re.compile(rf"^第\s*([{CN}]+|\d+)\s*款(?:\s+|[：:、.．]\s*|(?=\S))")),
    ("zh1", re.compile(rf"^([{CN}]+)\s*[、．.]\s*")),
    ("zh2", re.compile(rf"^[（(]\s*([{CN}]+)\s*[）)]\s*")),
    ("legal", re.compile(r"^(?:ARTICLE|Article)\s+(\d+)\b\.?:?\s*")),
    ("section", re.compile(r"^(?:SECTION|Section)\s+(\d+(?:\.\d+)*)\b\.?\s*")),
    ("dec", re.compile(r"^(\d{1,3}(?:\.\d{1,3})*)(?:[.．、](?!\d)|(?=\s))\s*")),
    ("paren-num", re.compile(r"^[（(]\s*(\d{1,3})\s*[）)]\s*")),
    ("roman", re.compile(r"^\(((?:i|ii|iii|iv|v|vi|vii|viii|ix|x|xi|xii))\)\s+")),
    ("alpha", re.compile(r"^\(([a-z])\)\s+")),
]
_ROMAN = {
    "i": 1,
    "ii": 2,
    "iii": 3,
    "iv": 4,
    "v": 5,
    "vi": 6,
    "vii": 7,
    "viii": 8,
    "ix": 9,
    "x": 10,
    "xi": 11,
    "xii": 12,
}


def match_number(text: str) -> NumberMatch | None:
    for scheme, rule in _RULES:
        m = rule.match(text)
        if not m:
            continue
        raw = m.group(1)
        rest = text[m.end() :]
        if not rest.strip():
            continue  # a number alone is not a numbered paragraph
        if scheme in ("article", "clause-kuan", "zh1", "zh2"):
            values: tuple[int, ...] = (parse_cn(raw),)
        elif scheme in ("dec", "section"):
            values = tuple(int(p) for p in raw.split("."))
            if scheme == "section":
                scheme = "dec"
        elif scheme == "roman":
            values = (_ROMAN[raw],)
        elif scheme == "alpha":
            values = (ord(raw) - ord("a") + 1,)
        else:
            values = (int(raw),)
        return NumberMatch(scheme, values, text[: m.end()].strip(), rest)
    return None


# For each style: scheme -> level (1 = article).  `dec` is looked up by its depth.
STYLE_LEVELS: dict[str, dict[str, int]] = {
    "zh-CN-article": {"article": 1, "clause-kuan": 2, "zh2": 2, "dec1": 3, "paren-num": 4},
    "zh-CN": {"zh1": 1, "zh2": 2, "dec1": 3, "paren-num": 4},
    "legal": {"legal": 1, "dec2": 2, "dec3": 3, "alpha": 3, "roman": 4},
    "decimal": {"dec1": 1, "dec2": 2, "dec3": 3, "alpha": 4},
}


def level_key(m: NumberMatch) -> str:
    return f"dec{min(len(m.values), 3)}" if m.scheme == "dec" else m.scheme


def detect_style(matches: list[NumberMatch]) -> str | None:
    """The numbering style whose level-1 scheme numbers this document's articles."""
    schemes = [level_key(m) for m in matches]
    for style, first in (
        ("zh-CN-article", "article"),
        ("zh-CN", "zh1"),
        ("legal", "legal"),
        ("decimal", "dec1"),
    ):
        # An article sequence: at least two, starting at 1 (or 0: `0. Definitions`).
        ones = [m for m in matches if level_key(m) == first]
        if len(ones) >= 2 and ones[0].values[-1] in (0, 1) and first in schemes:
            return style
    return None


def level_in(style: str, m: NumberMatch) -> int | None:
    return STYLE_LEVELS[style].get(level_key(m))


def word_style(level0_text: str) -> str:
    """The style for Word list numbering, from the first level's text (`%1.`)."""
    if "条" in level0_text:
        return "zh-CN-article"
    if "、" in level0_text:
        return "zh-CN"
    if "article" in level0_text.lower():
        return "legal"
    return "decimal"
