"""Finding and numbering the headings of a rendered clause body.

Headings are found with markdown-it (so a `#` in a code span or a list is
not a heading), shifted under the clause's own level and numbered.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

ANCHOR = re.compile(r"\s*\{#([a-z0-9][a-z0-9-]*)\}\s*$")
ATX = re.compile(r"^ {0,3}#{1,6}(?:[ \t]+|$)")
ATX_CLOSE = re.compile(r"[ \t]+#+[ \t]*$")

Heading = tuple[int, int, int]  # first line, line after, depth (1 = `#`)


@cache
def _md() -> MarkdownIt:
    # Imported when first needed: a build whose clause headings are all known from
    # the check cache never loads the parser.
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable("table")


# A line that could make a heading: an ATX opening, or a setext underline.  CommonMark
# has no other kind, so a text without one has none, and needs no parse.
MAYBE_HEADING = re.compile(r"^ {0,3}(?:#|=+[ \t]*$|-+[ \t]*$)", re.MULTILINE)


# What can make a line that starts with `#` at its first column anything but a
# top-level heading, or make a heading of another kind: a code fence (anywhere), an HTML
# block (after any list or quote markers), a link definition (a title may run over
# lines), a `#` indented 1-3 spaces (a list item's content), a setext underline, a tab.
# A text with none of them needs no parse: an ATX heading at the first column ends any
# paragraph, list, quote or table above it.
NEEDS_PARSE = re.compile(
    r"`{3}|~{3}|^[ >*+\-]*(?:\d{1,9}[.)][ >]*)*<|^ {0,3}\[|^ {1,3}#"
    r"|^ {0,3}(?:=+|-+)[ \t]*$|\t|\r",
    re.M,
)
TOP_ATX = re.compile(r"^(#{1,6})(?:[ \t]|$)", re.M)


def find_headings(text: str) -> tuple[Heading, ...]:
    """Top-level headings of a Markdown text (not those in lists or code)."""
    if MAYBE_HEADING.search(text) is None:
        return ()
    if NEEDS_PARSE.search(text) is None:
        # Found as markdown-it finds them (tests/test_language_headings.py), without
        # importing it: about 20 ms of a build with no check results kept.
        return tuple(
            (line, line + 1, len(m.group(1))) for line, m in _numbered(TOP_ATX.finditer(text), text)
        )
    return tuple(
        (tok.map[0], tok.map[1], int(tok.tag[1]))
        for tok in _md().parse(text)
        if tok.type == "heading_open" and tok.level == 0 and tok.map is not None
    )


def _numbered(found: Iterable[re.Match[str]], text: str) -> Iterator[tuple[int, re.Match[str]]]:
    """Each match with the number of the line it starts on (0-based)."""
    line, at = 0, 0
    for m in found:
        line += text.count("\n", at, m.start())
        at = m.start()
        yield line, m


def heading_text(lines: list[str], start: int, end: int) -> str:
    """The text of the heading on lines `start`..`end` (ATX or setext)."""
    if ATX.match(lines[start]):
        return ATX_CLOSE.sub("", ATX.sub("", lines[start], count=1)).strip()
    return " ".join(line.strip() for line in lines[start : end - 1])
