"""Raw markup in clause text, refused (docs/formats.md, "Raw markup").

A clause is Markdown for every output at once.  Markup meant for one of them goes
around the others: a ```` ```{=openxml} ```` block with hidden text or a field that
fetches a picture is copied into the DOCX alone, `<img onerror=…>` runs in the HTML
download and the redline, and the site shows all of it escaped, so a reviewer does
not see what the DOCX holds.  So a clause may not hold raw blocks or inline raw of
any format, nor raw HTML (a `<!-- … -->` drafting note is removed, not refused),
and links go to http(s), mailto or an anchor in the document (`#…`) only.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from typing import TYPE_CHECKING

from clausekit.errors import Problem
from clausekit.language.marks import LETTER_MARK
from clausekit.language.typography import drop_notes
from clausekit.load.model import Clause

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{##.*?##\}", re.S)
_RAW_INLINE = re.compile(r"(`+)[^`]+?\1\{=[^}\s]*\}")
_ANY = re.compile(r"<|\{=|\]\(|\]:")
LINK_SCHEMES = ("http://", "https://", "mailto:", "#")
CODE = "markup"


@cache
def _md() -> MarkdownIt:
    from markdown_it import MarkdownIt  # only for a clause with markup to look at

    md = MarkdownIt("commonmark", {"html": True}).enable("table")
    # markdown-it leaves `javascript:` links as text; Pandoc does not: see them all.
    # Targets as written: no `javascript:` filtering, no percent-encoding.
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    md.normalizeLink = lambda url: url  # type: ignore[method-assign]
    return md


def raw_markup(clause: Clause) -> Iterator[Problem]:
    # Jinja code becomes opaque letters of the same length: columns stay right, and a
    # link target made from a value shows as one.
    text = _JINJA.sub(lambda m: re.sub(r"[^\n]", LETTER_MARK, m.group(0)), drop_notes(clause.body))
    if _ANY.search(text) is None:  # most clauses: no markup to look at, no parse
        return
    lines = text.split("\n")

    def at(line: int, needle: str, message: str) -> Problem:
        col = max(lines[line].find(needle), 0) + 1 if line < len(lines) else 1
        return Problem(clause.source.path, clause.body_line + line, col, CODE, message)

    for tok in _md().parse(text):
        first = tok.map[0] if tok.map else 0
        if tok.type == "html_block":
            yield at(first, tok.content.strip()[:1], _html(tok.content))
        elif tok.type == "fence" and tok.info.strip().startswith("{="):
            yield at(
                first,
                tok.markup,
                f"a raw {tok.info.strip()} block is not allowed "
                "in a clause: it would reach one output and not the others",
            )
        elif tok.type == "inline":
            yield from (at(line, needle, msg) for line, needle, msg in _inline(tok, lines))
    for m in _RAW_INLINE.finditer(text):
        line = text.count("\n", 0, m.start())
        yield at(line, m.group(0), f"inline raw {m.group(0)!r} is not allowed in a clause")


def _inline(tok: Token, lines: list[str]) -> Iterator[tuple[int, str, str]]:
    start, end = tok.map if tok.map else (0, len(lines))

    def line_of(needle: str) -> int:
        return next((i for i in range(start, end) if needle in lines[i]), start)

    for child in tok.children or ():
        if child.type == "html_inline":
            yield line_of(child.content), child.content, _html(child.content)
        elif child.type in ("link_open", "image"):
            target = str(child.attrs.get("href") or child.attrs.get("src") or "")
            if not target.lower().startswith(LINK_SCHEMES):
                shown = "a value" if LETTER_MARK in target else repr(target)
                yield (
                    line_of(target[:20] or "]("),
                    target[:20] or "](",
                    (
                        f"a link to {shown} is not allowed in a clause: "
                        "use an http(s) or mailto: address, or ref() for another clause"
                    ),
                )


def _html(content: str) -> str:
    tag = content.strip().split("\n")[0][:40]
    return (
        f"raw HTML {tag!r} is not allowed in a clause (write Markdown; a note to "
        "drafters goes in <!-- … -->, which is never printed)"
    )
