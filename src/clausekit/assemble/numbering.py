"""The numbering styles (docs/formats.md): heading numbers and how `ref` prints them.

A number is a path of ordinals, `(5, 2, 3)` = the third item of the second
section of article five; a style turns it into a heading prefix and a
cross-reference.  Numbers are never typed by authors: assembly computes them.
"""

from __future__ import annotations

from collections.abc import Callable

from clausekit.language.filters import cn_number as _cn_number

MAX_LEVEL = 4


# Heading numbers are small: their Chinese numerals are looked up, not recomputed for
# every heading of every document.
_CN = tuple(_cn_number(n) for n in range(100))


def cn_number(n: int) -> str:
    return _CN[n] if 0 <= n < len(_CN) else _cn_number(n)


def _alpha(n: int) -> str:
    out = ""
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(ord("a") + r) + out
    return out


def _roman(n: int) -> str:
    table = [
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ]
    out = ""
    for value, letters in table:
        while n >= value:
            out += letters
            n -= value
    return out


def heading_prefix(style: str, number: tuple[int, ...]) -> str:
    """The text put before a heading: `一、`, `（二）`, `5.2`, `Article 5`."""
    level, last = len(number), number[-1]
    if style in ("zh-CN", "zh-CN-article"):
        return {
            1: f"第{cn_number(last)}条 " if style == "zh-CN-article" else f"{cn_number(last)}、",
            2: f"（{cn_number(last)}）",
            3: f"{last}. ",
            4: f"（{last}）",
        }[level]
    joined = ".".join(map(str, number[:3]))
    if style == "decimal":
        return {1: f"{last}. ", 2: f"{joined} ", 3: f"{joined} ", 4: f"({_alpha(last)}) "}[level]
    # legal
    return {
        1: f"Article {last} ",
        2: f"{joined} ",
        3: f"({_alpha(last)}) ",
        4: f"({_roman(last)}) ",
    }[level]


def reference(style: str, number: tuple[int, ...]) -> str:
    """How `ref()` prints a number: `第五条第（二）款`, `Section 5.2.1`, `Section 5.2(a)`."""
    if style in ("zh-CN", "zh-CN-article"):
        parts: list[Callable[[int], str]] = [
            lambda n: f"第{cn_number(n)}条",
            lambda n: f"第（{cn_number(n)}）款",
            lambda n: f"第{n}项",
            lambda n: f"第（{n}）目",
        ]
        return "".join(fmt(n) for fmt, n in zip(parts, number, strict=False))
    if style == "decimal":
        head = ".".join(map(str, number[:3]))
        tail = f"({_alpha(number[3])})" if len(number) > 3 else ""
        return f"Section {head}{tail}"
    if len(number) == 1:
        return f"Article {number[0]}"
    head = f"{number[0]}.{number[1]}"
    tail = "".join(
        f"({_alpha(n)})" if i == 2 else f"({_roman(n)})" for i, n in enumerate(number) if i >= 2
    )
    return f"Section {head}{tail}"


# The Word multilevel list of each style, one (level text, number format)
# per level.  `chineseCounting` is 一二三 (`ideographTraditional` would be 甲乙丙).
WORD_LEVELS: dict[str, tuple[tuple[str, str], ...]] = {
    "zh-CN": (
        ("%1、", "chineseCounting"),
        ("（%2）", "chineseCounting"),
        ("%3.", "decimal"),
        ("（%4）", "decimal"),
    ),
    "zh-CN-article": (
        ("第%1条", "chineseCounting"),
        ("（%2）", "chineseCounting"),
        ("%3.", "decimal"),
        ("（%4）", "decimal"),
    ),
    "decimal": (
        ("%1.", "decimal"),
        ("%1.%2", "decimal"),
        ("%1.%2.%3", "decimal"),
        ("(%4)", "lowerLetter"),
    ),
    "legal": (
        ("Article %1", "decimal"),
        ("%1.%2", "decimal"),
        ("(%3)", "lowerLetter"),
        ("(%4)", "lowerRoman"),
    ),
}
STYLES = tuple(WORD_LEVELS)


def word_suffix(style: str, level: int) -> str:
    """What Word puts after the number (`w:suff`): a space where the typed prefix
    of `heading_prefix` ends in one (`1. Title`), nothing where it does not (`一、标题`)."""
    return "space" if heading_prefix(style, (1,) * level).endswith(" ") else "nothing"


def word_reference(style: str, number: tuple[int, ...]) -> tuple[str, str] | None:
    """`reference(style, number)` as (words before, REF field text), or None where a
    Word field cannot show it.

    The field is `REF bookmark \\w` (the number "in full context": `5.2(c)`,
    `Article 5`, `第五条`), so only the number is in the field and words such as
    "Section" stay outside.  Word's list numbering cannot print `第五条` for a
    `五、` heading (zh-CN), nor the composed `第五条第（二）款` (a field would show
    `第五条（二）`): those are None, and the DOCX links them to the heading instead.
    """
    shown = reference(style, number)
    if style == "zh-CN-article" and len(number) == 1:
        return "", shown
    if style == "decimal" or (style == "legal" and len(number) > 1):
        pre = "Section "
        return pre, shown.removeprefix(pre)
    if style == "legal":
        return "", shown
    return None


def bookmark_tag(lang: str) -> str:
    """A language in a Word bookmark's name, as names allow: `zh-CN` -> `ZhCN`; each
    text of a bilingual document has its own bookmarks (`assemble.document.bookmark`)."""
    letters = "".join(c for c in lang if c.isascii() and c.isalpha())
    return letters[:1].upper() + letters[1:]
