"""Turn change markers in a Pandoc DOCX into Word tracked changes.

`redline.py` writes one Markdown document holding both versions, with deleted and
inserted text between private-use marker characters.  Pandoc renders it with the
usual reference DOCX (so styles and numbering match `clausekit build`), and here
every run is split at the markers and each marked piece wrapped in `<w:del>` or
`<w:ins>` with author and date — what Word shows as tracked changes that a
lawyer can accept or reject.

The markers are plain characters to Pandoc, so a change may cross bold text,
links or table cells without upsetting Markdown; the state (inside a deletion,
an insertion or neither) is carried from run to run in document order.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from xml.sax.saxutils import quoteattr

from clausekit.errors import BuildError
from clausekit.language.marks import DEL_CLOSE, DEL_OPEN, INS_CLOSE, INS_OPEN, PARA_DEL, PARA_INS
from clausekit.render.docx import rewrite_member

# Markers are letters of an ancient script (Linear B) that no contract contains: CommonMark
# reads a letter, unlike punctuation or private-use characters, as part of a word, so a
# marker next to `**` leaves bold text bold.
# (PARA_INS, PARA_DEL: the whole paragraph, its mark too, is new/gone.)
MARKERS = DEL_OPEN + DEL_CLOSE + INS_OPEN + INS_CLOSE + PARA_INS + PARA_DEL
_MODE_AFTER = {DEL_OPEN: "del", INS_OPEN: "ins", DEL_CLOSE: None, INS_CLOSE: None}
_SPLIT = re.compile(f"([{DEL_OPEN}{DEL_CLOSE}{INS_OPEN}{INS_CLOSE}])")

_PARA = re.compile(r"<w:p(?:\s[^>]*)?>.*?</w:p>", re.DOTALL)
_RUN = re.compile(r"<w:r(?:\s[^>]*)?>.*?</w:r>", re.DOTALL)
_RPR = re.compile(r"^(<w:r(?:\s[^>]*)?>)(<w:rPr>.*?</w:rPr>|<w:rPr\s*/>)?(.*)</w:r>$", re.DOTALL)
# The children of a run: text, or any other element (tab, break, footnote reference…).
_CHILD = re.compile(
    r"<w:t(?:\s[^>]*)?>(?P<text>.*?)</w:t>|<w:t\s*/>|<[^>]*/>|<(?P<tag>[\w:]+)[^>]*>.*?</(?P=tag)>",
    re.DOTALL,
)


@dataclass
class Revisions:
    author: str
    date: str  # ISO 8601, e.g. 2026-01-01T00:00:00Z
    next_id: int = 1

    def attrs(self) -> str:
        self.next_id += 1
        return f' w:id="{self.next_id}" w:author={quoteattr(self.author)} w:date="{self.date}"'


def track_changes(docx: bytes, author: str, date: str) -> bytes:
    """The DOCX with its markers turned into tracked changes (other parts untouched)."""
    try:
        return rewrite_member(
            docx,
            "word/document.xml",
            lambda data: mark_document(data.decode("utf-8"), author, date).encode("utf-8"),
        )
    except (zipfile.BadZipFile, KeyError, UnicodeDecodeError) as exc:
        raise BuildError(f"cannot add tracked changes to the DOCX: {exc}") from exc


def mark_document(xml: str, author: str, date: str) -> str:
    ids = [int(n) for n in re.findall(r'w:id="(\d+)"', xml)]
    rev = Revisions(author, date, max(ids, default=0) + 1000)
    xml = _PARA.sub(lambda m: _paragraph_mark(m.group(0), rev), xml)
    state: list[str | None] = [None]
    xml = _RUN.sub(lambda m: _run(m.group(0), state, rev), xml)
    # Markers left elsewhere (bookmark names Pandoc derived from a heading) go.
    return re.sub(f"[{MARKERS}]", "", xml)


def _paragraph_mark(para: str, rev: Revisions) -> str:
    """Mark a wholly new or wholly deleted paragraph's mark, so that accepting the
    change adds or removes the paragraph itself, not only its text."""
    kind = "ins" if PARA_INS in para else "del" if PARA_DEL in para else None
    if kind is None:
        return para
    mark = f"<w:{kind}{rev.attrs()}/>"
    if "<w:pPr>" in para:
        if re.search(r"<w:pPr>.*?<w:rPr>.*?</w:pPr>", para, re.DOTALL):
            return re.sub(r"(<w:pPr>.*?<w:rPr>)", lambda m: m.group(1) + mark, para, count=1)
        # rPr is the last child of pPr (before sectPr/pPrChange, which Pandoc never writes).
        return para.replace("</w:pPr>", f"<w:rPr>{mark}</w:rPr></w:pPr>", 1)
    return re.sub(
        r"^(<w:p(?:\s[^>]*)?>)", lambda m: f"{m.group(1)}<w:pPr><w:rPr>{mark}</w:rPr></w:pPr>", para
    )


def _run(run: str, state: list[str | None], rev: Revisions) -> str:
    m = _RPR.match(run)
    if m is None or (state[0] is None and not any(c in run for c in MARKERS)):
        return run
    open_tag, rpr, inner = m.group(1), m.group(2) or "", m.group(3)
    groups: list[tuple[str | None, list[str]]] = []
    for mode, child in _pieces(inner, state):
        if groups and groups[-1][0] == mode:
            groups[-1][1].append(child)
        else:
            groups.append((mode, [child]))
    out = []
    for mode, children in groups:
        body = "".join(children)
        if mode == "del":
            body = body.replace("<w:t ", "<w:delText ").replace("</w:t>", "</w:delText>")
            body = body.replace("<w:instrText", "<w:delInstrText").replace(
                "</w:instrText>", "</w:delInstrText>"
            )
        piece = f"{open_tag}{rpr}{body}</w:r>"
        out.append(f"<w:{mode}{rev.attrs()}>{piece}</w:{mode}>" if mode else piece)
    return "".join(out)


def _pieces(inner: str, state: list[str | None]) -> Iterator[tuple[str | None, str]]:
    """(mode, child element) for each child of a run, text split at the markers."""
    for child in _CHILD.finditer(inner):
        text = child.group("text")
        if text is None:
            yield state[0], child.group(0)
            continue
        for part in _SPLIT.split(text.replace(PARA_INS, "").replace(PARA_DEL, "")):
            if part in _MODE_AFTER:
                state[0] = _MODE_AFTER[part]
            elif part:
                yield state[0], f'<w:t xml:space="preserve">{part}</w:t>'
