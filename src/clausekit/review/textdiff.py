"""Word-level diffs that lawyers read: words for Latin text, characters for Chinese.

Chinese has no spaces between words, so a word-level diff of Chinese would mark
a whole sentence changed for one character; each CJK character is a token
instead.  A Jinja expression (`{{ fee.total | money }}`) and a Markdown escape
(`\\*`) are single tokens, so a diff never cuts one in half.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

TOKEN = re.compile(
    r"\{\{.*?\}\}|\{%.*?%\}"  # Jinja expressions and statements, whole
    r"|\\."  # a Markdown escape stays with the character it escapes
    r"|[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]"  # CJK, one each
    r"|[^\W_]+(?:['’.,-][^\W_]+)*"  # a Latin word (don't, 1,234.50, e-mail)
    r"|\s+"
    r"|.",
    re.DOTALL,
)


@dataclass(frozen=True)
class Piece:
    op: str  # "equal" | "insert" | "delete"
    text: str


def tokens(text: str) -> list[str]:
    return TOKEN.findall(text)


def inline_diff(old: str, new: str) -> list[Piece]:
    """`old` -> `new` as equal, deleted and inserted pieces (deletions first)."""
    a, b = tokens(old), tokens(new)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    pieces: list[Piece] = []
    for tag, i1, i2, j1, j2 in _cleaned(matcher.get_opcodes(), a, b):
        if tag == "equal":
            _add(pieces, "equal", "".join(a[i1:i2]))
            continue
        _add(pieces, "delete", "".join(a[i1:i2]))
        _add(pieces, "insert", "".join(b[j1:j2]))
    return pieces


Opcode = tuple[str, int, int, int, int]


def _cleaned(ops: Sequence[Opcode], a: list[str], b: list[str]) -> list[Opcode]:
    """Merge a tiny equal run between two changes into the change around it.

    difflib happily matches a lone space or a common character (的, the) in the middle
    of a rewritten sentence; a reader wants one deletion and one insertion instead.
    """
    del b  # the equal runs are the same in both
    out: list[Opcode] = []
    for tag, i1, i2, j1, j2 in ops:
        if tag != "equal" and len(out) >= 2 and out[-1][0] == "equal":
            if _trivial(a[out[-1][1] : out[-1][2]]):
                out.pop()
                before = out.pop()
                out.append(("replace", before[1], i2, before[3], j2))
                continue
        elif tag != "equal" and out and out[-1][0] != "equal":
            before = out.pop()
            out.append(("replace", before[1], i2, before[3], j2))
            continue
        out.append((tag, i1, i2, j1, j2))
    return out


def _trivial(run: list[str]) -> bool:
    text = "".join(run)
    return not text.strip() or (len(run) == 1 and len(text) == 1)


def _add(pieces: list[Piece], op: str, text: str) -> None:
    if not text:
        return
    if pieces and pieces[-1].op == op:
        pieces[-1] = Piece(op, pieces[-1].text + text)
    else:
        pieces.append(Piece(op, text))


def similarity(old: str, new: str) -> float:
    """0..1: how much of two lines is shared (to pair a changed line with its old self)."""
    return difflib.SequenceMatcher(None, tokens(old), tokens(new), autojunk=False).ratio()


@dataclass(frozen=True)
class LineOp:
    """One line of a line-level diff: kept, deleted, inserted, or changed in place."""

    op: str  # "equal" | "delete" | "insert" | "change"
    old: str | None
    new: str | None


# How far ahead a changed line looks for its new self; bounds the work on big rewrites.
PAIR_WINDOW = 8


def align_lines(
    old: list[str], new: list[str], key: Callable[[str], str] = str, threshold: float = 0.5
) -> list[LineOp]:
    """Line diff in which a line edited in place is one `change`, not a deletion and an
    insertion, so that it can be shown with a word-level diff."""
    ops: list[LineOp] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            ops += [LineOp("equal", line, line) for line in old[i1:i2]]
        elif tag == "delete":
            ops += [LineOp("delete", line, None) for line in old[i1:i2]]
        elif tag == "insert":
            ops += [LineOp("insert", None, line) for line in new[j1:j2]]
        else:
            ops += _pair(old[i1:i2], new[j1:j2], key, threshold)
    return ops


def _pair(
    olds: list[str], news: list[str], key: Callable[[str], str], threshold: float
) -> list[LineOp]:
    out: list[LineOp] = []
    j = 0
    for line in olds:
        match = None
        if line.strip():
            for k in range(j, min(len(news), j + PAIR_WINDOW)):
                if news[k].strip() and similarity(key(line), key(news[k])) >= threshold:
                    match = k
                    break
        if match is None:
            out.append(LineOp("delete", line, None))
            continue
        out += [LineOp("insert", None, n) for n in news[j:match]]
        out.append(LineOp("change", line, news[match]))
        j = match + 1
    out += [LineOp("insert", None, n) for n in news[j:]]
    return out
