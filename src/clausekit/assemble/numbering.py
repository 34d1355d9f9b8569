"""The numbering styles of SPEC §5: heading numbers and how `ref` prints them.

A number is a path of ordinals, `(5, 2, 3)` = the third item of the second
section of article five; a style turns it into a heading prefix and a
cross-reference.  Numbers are never typed by authors: assembly computes them.
"""

from __future__ import annotations

from collections.abc import Callable

from clausekit.language.filters import cn_number

MAX_LEVEL = 4


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
