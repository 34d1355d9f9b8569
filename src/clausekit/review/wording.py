"""A clause's source text rewritten to read as the other side's returned paragraphs.

A clause body prints one Word paragraph per block: a paragraph, a list item, a
heading (`units`).  Each returned paragraph is matched with its source block,
and the source is aligned with the text that was sent, character by character:
literal text matches, a `{{ … }}` (a value, a reference) printed something else.
Each edit the other side made is then written into the source at the same
place, so that what they left alone, values included, stays as it was written
(`{{ party_b.name }}`, not the name).  An edit that touches printed text takes
the whole printed text with it as literal words.  Their words are escaped for
Markdown and for Jinja: a clause text cannot gain markup or code from a DOCX.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass

from clausekit.language.marks import CODE_PIECE
from clausekit.language.sandbox import md_escape

_BLOCK_START = re.compile(r"^\s*(?:#{1,6}\s|[-*+]\s|\d+[.)]\s|\|)")
_LIST_MARK = re.compile(r"^(\s*(?:[-*+]|\d+[.)])\s+)")
_EXPRESSION = re.compile(r"^\{\{-?\s*([A-Za-z_][\w.]*)\s*(?:\|[^{}]*)?-?\}\}$")
# A blank as a document prints it (`language.sandbox.BLANKS`: `[●]`, `______`).
BLANK = re.compile(r"\[●\]|_{2,}")


@dataclass(frozen=True)
class Unit:
    """One block of a clause body: its source lines and what follows it."""

    text: str
    gap: str  # "\n" inside a list, "\n\n" between blocks, "" at the end


def units(body: str) -> list[Unit]:
    """The blocks of a body, one per printed paragraph."""
    blocks: list[list[str]] = []
    gaps: list[str] = []
    fresh = True
    for line in body.strip("\n").split("\n"):
        if not line.strip():
            if blocks and gaps[-1] != "\n\n":
                gaps[-1] = "\n\n"
            fresh = True
            continue
        if fresh or _BLOCK_START.match(line):
            blocks.append([line])
            gaps.append("\n")
        else:
            blocks[-1].append(line)
        fresh = line.lstrip().startswith("#")  # a heading is one line
    if gaps:
        gaps[-1] = ""
    return [Unit("\n".join(b), g) for b, g in zip(blocks, gaps, strict=True)]


def literal(text: str) -> str:
    """Words for a clause source that print as exactly themselves."""
    text = md_escape(text)
    text = re.sub(r"(?<!\\)([\"'])", r"\\\1", text)  # no typographic quotes added
    text = text.replace("--", r"\-\-")
    # `{` is escaped for Markdown already; Jinja would still read `{%` or `{#`.
    return text.replace("\\{", '{{ "{" }}')


Ops = Sequence[tuple[str, int, int, int, int]]
_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)


def _ops(a: str, b: str) -> Ops:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()


def _printed(source: str, sent: str) -> Ops:
    """The source aligned with the text it printed; each `{{ … }}` (and `{% … %}`) is
    one piece, so that it is never matched letter by letter with what it printed."""
    coded: list[str] = []
    where: list[int] = []  # coded index -> source index
    at = 0
    for m in _JINJA.finditer(source):
        coded += source[at : m.start()]
        where += range(at, m.start())
        coded.append(CODE_PIECE)
        where.append(m.start())
        at = m.end()
    coded += source[at:]
    where += range(at, len(source) + 1)
    return [(t, where[i1], where[i2], j1, j2) for t, i1, i2, j1, j2 in _ops("".join(coded), sent)]


def rewrite(source: str, sent: str, accepted: str) -> str:
    """`source` (which printed `sent`) edited the way `sent` became `accepted`."""
    printed = _printed(source, sent)
    edits = [(i1, i2) for tag, i1, i2, _, _ in _ops(sent, accepted) if tag != "equal"]
    spans = _merged([_widened(printed, a, b) for a, b in edits], printed)
    change = _ops(sent, accepted)
    out = source
    for x1, x2 in reversed(spans):
        s1, s2 = _to_source(printed, x1, last=True), _to_source(printed, x2, last=False)
        s2 = max(s1, s2)
        words = accepted[_to_accepted(change, x1, False) : _to_accepted(change, x2, True)]
        out = out[:s1] + (literal(words) if words.strip() else words) + out[s2:]
    return out


def _widened(printed: Ops, a: int, b: int) -> tuple[int, int]:
    """The edit `sent[a:b]` grown to cover each printed text it starts or ends inside."""
    for tag, _, _, j1, j2 in printed:
        if tag == "equal":
            continue
        if j1 < a < j2 or (a == b and j1 < a < j2):
            a = j1
        if j1 < b < j2:
            b = j2
    return a, b


def _merged(spans: list[tuple[int, int]], printed: Ops) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if out and (a < out[-1][1] or a == b == out[-1][1]):
            a = out[-1][0]
            b = max(b, out.pop()[1])
        out.append(_widened(printed, a, b))
    return out


def _to_source(printed: Ops, x: int, last: bool) -> int:
    """Where position `x` of the sent text is in the source: after the markup before it
    (`last`, for the start of an edit) or before the markup after it (for its end)."""
    found: list[int] = []
    for tag, i1, i2, j1, j2 in printed:
        if tag == "equal" and j1 <= x <= j2:
            found.append(i1 + x - j1)
        elif x == j1:
            found.append(i1)
        elif x == j2:
            found.append(i2)
    if not found:
        return 0
    return max(found) if last else min(found)


def _to_accepted(change: Ops, x: int, end: bool) -> int:
    """Where position `x` of the sent text is in the accepted text: before what was
    inserted there (the start of a span) or after it (`end`)."""
    found = [j1 + x - i1 for tag, i1, i2, j1, _ in change if tag == "equal" and i1 <= x <= i2]
    found += [j1 for _, i1, _, j1, _ in change if x == i1]
    found += [j2 for _, _, i2, _, j2 in change if x == i2]
    if not found:
        return x
    return max(found) if end else min(found)


def filled_blank(source: str, sent: str, accepted: str) -> tuple[str, str, str] | None:
    """(variable, blank, value) when the only edit fills a blank `{{ variable }}` printed."""
    edits = _ops(sent, accepted)
    change = [op for op in edits if op[0] != "equal"]
    if not change:
        return None
    a, b = change[0][1], change[-1][2]
    for tag, i1, i2, j1, j2 in _printed(source, sent):
        if tag == "equal" or not (j1 <= a and b <= j2):
            continue
        # The piece may take in what is around the value (a line break, a space).
        names = [_EXPRESSION.match(e) for e in _JINJA.findall(source[i1:i2])]
        blanks = list(BLANK.finditer(sent, j1, j2))
        if len(names) != 1 or names[0] is None or len(blanks) != 1:
            return None
        k1, k2 = blanks[0].span()
        if not (k1 <= a and b <= k2):
            return None
        value = accepted[_to_accepted(edits, k1, False) : _to_accepted(edits, k2, True)]
        return names[0].group(1), sent[k1:k2], value.strip()
    return None


def list_mark(unit: Unit) -> str:
    """The list marker a paragraph added after `unit` takes, so it stays in the list."""
    m = _LIST_MARK.match(unit.text)
    return m.group(1) if m else ""
