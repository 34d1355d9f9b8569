"""Finding and numbering the headings of a rendered clause body.

Headings are found with markdown-it (so a `#` in a code span or a list is
not a heading), shifted under the clause's own level and numbered.
"""

from __future__ import annotations

import re
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


def find_headings(text: str) -> tuple[Heading, ...]:
    """Top-level headings of a Markdown text (not those in lists or code)."""
    if MAYBE_HEADING.search(text) is None:
        return ()
    return tuple(
        (tok.map[0], tok.map[1], int(tok.tag[1]))
        for tok in _md().parse(text)
        if tok.type == "heading_open" and tok.level == 0 and tok.map is not None
    )


def heading_text(lines: list[str], start: int, end: int) -> str:
    """The text of the heading on lines `start`..`end` (ATX or setext)."""
    if ATX.match(lines[start]):
        return ATX_CLOSE.sub("", ATX.sub("", lines[start], count=1)).strip()
    return " ".join(line.strip() for line in lines[start : end - 1])
