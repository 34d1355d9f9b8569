"""`clausekit redline`: an agreement as assembled at a revision and now, with changes.

Both versions are assembled, diffed line by line (a line is a paragraph, heading,
list item or table row of the assembled Markdown) and, within a changed line,
word by word (character by character in Chinese).  The result is one Markdown
document carrying both texts, the changes between marker characters; rendered
with the reference DOCX and post-processed (docxtrack.py) it becomes a DOCX with
Word tracked changes, and rendered to HTML it becomes an `<ins>`/`<del>` redline.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from clausekit.language.marks import DEL_CLOSE, DEL_OPEN, INS_CLOSE, INS_OPEN, PARA_DEL, PARA_INS
from clausekit.render.atomic import atomic_write
from clausekit.render.docx import render_docx, render_html
from clausekit.review.docxtrack import MARKERS, track_changes
from clausekit.review.textdiff import align_lines, inline_diff

META = re.compile(r"\A---\ntitle: (?P<title>.*)\nlang: (?P<lang>.*)\n---\n", re.DOTALL)
# What opens a block on a line: its content (after this) is what gets diffed.
PREFIX = re.compile(r"^(?:[ \t]*(?:#{1,6}[ \t]+|(?:\d{1,9}[.)]|[-+*])[ \t]+|>[ \t]?|\|))?")
STYLE = (
    "<style>ins{background:#dafbe1;text-decoration:underline}"
    "del{background:#ffebe9;color:#82071e}</style>"
)


@dataclass(frozen=True)
class Redline:
    markdown: str  # both versions, changes between marker characters
    lang: str
    insertions: int
    deletions: int


def redline_markdown(old: str, new: str) -> Redline:
    """The merged document of two assembled Markdown texts."""
    old, new = _clean(old), _clean(new)
    om, nm = META.match(old), META.match(new)
    if nm is None:
        raise ValueError("the assembled Markdown has no front matter")
    old_title = json.loads(om.group("title")) if om else ""
    title, counts = _inline(old_title, json.loads(nm.group("title")))
    old_lines = old[om.end() if om else 0 :].split("\n")
    new_lines = new[nm.end() :].split("\n")
    own_old, own_new = _standalone(old_lines), _standalone(new_lines)
    out: list[str] = []
    i = j = 0
    for op in align_lines(old_lines, new_lines, key=_content):
        if op.op == "equal":
            out.append(new_lines[j])
        elif op.op == "change":
            pre = _prefix(new_lines[j])
            text, more = _inline(_content(old_lines[i]), _content(new_lines[j]))
            counts = (counts[0] + more[0], counts[1] + more[1])
            out.append(pre + text)
        elif op.op == "delete":
            line = old_lines[i]
            if line.strip():
                mark = PARA_DEL if i in own_old else ""
                out.append(f"{_prefix(line)}{mark}{DEL_OPEN}{_content(line)}{DEL_CLOSE}")
                counts = (counts[0], counts[1] + 1)
            else:
                out.append(line)
        else:
            line = new_lines[j]
            if line.strip():
                mark = PARA_INS if j in own_new else ""
                out.append(f"{_prefix(line)}{mark}{INS_OPEN}{_content(line)}{INS_CLOSE}")
                counts = (counts[0] + 1, counts[1])
            else:
                out.append(line)
        i += op.op != "insert"
        j += op.op != "delete"
    meta = f"---\ntitle: {json.dumps(title, ensure_ascii=False)}\nlang: {nm.group('lang')}\n---\n"
    return Redline(meta + "\n".join(out), nm.group("lang"), counts[0], counts[1])


def _clean(text: str) -> str:
    # A value that happens to hold a marker character must not fake a change.
    return re.sub(f"[{MARKERS}]", "\ufffd", text)


def _prefix(line: str) -> str:
    m = PREFIX.match(line)
    return m.group(0) if m else ""


def _content(line: str) -> str:
    return line[len(_prefix(line)) :]


def _standalone(lines: list[str]) -> set[int]:
    """Lines that are a paragraph of their own (so their paragraph mark is tracked too):
    headings and list items, or a line between blank lines.  Table rows are not."""
    own = set()
    for k, line in enumerate(lines):
        pre = _prefix(line).strip()
        if pre == "|":
            continue
        before = k == 0 or not lines[k - 1].strip()
        after = k == len(lines) - 1 or not lines[k + 1].strip()
        if pre or (before and after):
            own.add(k)
    return own


def _inline(old: str, new: str) -> tuple[str, tuple[int, int]]:
    parts: list[str] = []
    ins = dels = 0
    for piece in inline_diff(old, new):
        if piece.op == "delete":
            parts.append(f"{DEL_OPEN}{piece.text}{DEL_CLOSE}")
            dels += 1
        elif piece.op == "insert":
            parts.append(f"{INS_OPEN}{piece.text}{INS_CLOSE}")
            ins += 1
        else:
            parts.append(piece.text)
    return "".join(parts), (ins, dels)


def change_date() -> str:
    """When the changes are dated: SOURCE_DATE_EPOCH when set (reproducible builds), else now."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    when = datetime.fromtimestamp(int(epoch), tz=UTC) if epoch else datetime.now(UTC)
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def redline_docx(r: Redline, author: str, date: str, what: str) -> bytes:
    return track_changes(render_docx(r.markdown, r.lang, what), author, date)


def redline_html(r: Redline, what: str) -> bytes:
    page = render_html(r.markdown, r.lang, what).decode("utf-8")
    head, sep, body = page.partition("<body")
    head = re.sub(f"[{MARKERS}]", "", head).replace("</head>", STYLE + "\n</head>", 1)
    mode: list[str | None] = [None]
    body = re.sub(r"(<[^>]*>)|([^<]+)", _html_piece(mode), body)
    return (head + sep + body).encode("utf-8")


def _html_piece(mode: list[str | None]) -> Callable[[re.Match[str]], str]:
    def piece(m: re.Match[str]) -> str:
        tag = m.group(1)
        # Pandoc derives heading ids from their text: markers there are dropped.
        return re.sub(f"[{MARKERS}]", "", tag) if tag else _html_text(m.group(2), mode)

    return piece


def _html_text(text: str, mode: list[str | None]) -> str:
    out = []
    for part in re.split(f"([{DEL_OPEN}{DEL_CLOSE}{INS_OPEN}{INS_CLOSE}])", text):
        if part in (DEL_OPEN, INS_OPEN):
            mode[0] = "del" if part == DEL_OPEN else "ins"
        elif part in (DEL_CLOSE, INS_CLOSE):
            mode[0] = None
        elif part:
            part = part.replace(PARA_DEL, "").replace(PARA_INS, "")
            out.append(f"<{mode[0]}>{part}</{mode[0]}>" if mode[0] and part else part)
    return "".join(out)


def write_redline(r: Redline, outdir: Path, agreement_id: str, author: str) -> list[Path]:
    """Write `<id>.redline.docx` and `<id>.redline.html` under `outdir`."""
    stem = f"{agreement_id}.redline"
    docx = redline_docx(r, author, change_date(), agreement_id)
    html = redline_html(r, agreement_id)
    paths = [outdir / f"{stem}.docx", outdir / f"{stem}.html"]
    for path, data in zip(paths, (docx, html), strict=True):
        atomic_write(path, data)
    return paths
