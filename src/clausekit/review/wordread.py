"""Reading a DOCX returned from Word: its paragraphs, tracked changes and comments.

Word keeps a tracked change in `document.xml` as markup around the runs
(`w:ins`, `w:del`, `w:moveFrom`, `w:moveTo`) and on a paragraph's mark
(`w:pPr/w:rPr/w:ins|w:del`: the paragraph itself was added or removed).  Each
paragraph is read twice: with every change accepted and with every change
rejected.  The rejected text is what the other side received, so comparing it
with what was sent shows edits made without tracking.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from clausekit.errors import ClausekitError

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CUSTOM = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
_INSERTED = {f"{{{W}}}ins", f"{{{W}}}moveTo"}
_DELETED = {f"{{{W}}}del", f"{{{W}}}moveFrom"}
_KIND = {"ins": "insertion", "del": "deletion", "moveFrom": "move", "moveTo": "move"}


class ReturnedFileError(ClausekitError):
    """The file is not a DOCX that can be read."""


@dataclass(frozen=True)
class Mark:
    """One tracked change or comment as Word recorded it."""

    kind: str  # insertion | deletion | move | paragraph-insertion | paragraph-deletion | format
    text: str
    author: str
    date: str


@dataclass(frozen=True)
class Paragraph:
    accepted: str  # the text with every tracked change accepted ("" and gone: removed)
    rejected: str  # the text with every tracked change rejected
    bookmarks: tuple[str, ...]
    marks: tuple[Mark, ...]
    comments: tuple[str, ...]  # ids of comments anchored here
    new: bool  # the paragraph mark was inserted: it did not exist before
    gone: bool  # the paragraph mark was deleted


@dataclass(frozen=True)
class Returned:
    properties: dict[str, str]
    paragraphs: tuple[Paragraph, ...]
    comments: dict[str, Mark]  # comment id -> its text, author, date


def read_returned(path: Path) -> Returned:
    """The paragraphs, properties and comments of a DOCX; one-line error if unreadable."""
    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
            body = etree.fromstring(z.read("word/document.xml"))
            custom = z.read("docProps/custom.xml") if "docProps/custom.xml" in names else b""
            comments = z.read("word/comments.xml") if "word/comments.xml" in names else b""
            props = _properties(etree.fromstring(custom)) if custom else {}
            notes = _comments(etree.fromstring(comments)) if comments else {}
    except (OSError, zipfile.BadZipFile, KeyError, etree.XMLSyntaxError) as exc:
        raise ReturnedFileError(f"{path}: not a readable DOCX: {exc}") from exc
    paragraphs = tuple(_paragraph(p) for p in body.iter(f"{{{W}}}p"))
    return Returned(props, paragraphs, notes)


def _properties(root: etree._Element) -> dict[str, str]:
    out = {}
    for prop in root.iter(f"{{{CUSTOM}}}property"):
        out[str(prop.get("name"))] = "".join(map(str, prop.itertext())).strip()
    return out


def _comments(root: etree._Element) -> dict[str, Mark]:
    out = {}
    for c in root.iter(f"{{{W}}}comment"):
        text = " ".join("".join(map(str, p.itertext())) for p in c.iter(f"{{{W}}}p")).strip()
        out[str(c.get(f"{{{W}}}id"))] = Mark("comment", text, _author(c), _date(c))
    return out


def _author(el: etree._Element) -> str:
    return str(el.get(f"{{{W}}}author") or "")


def _date(el: etree._Element) -> str:
    return str(el.get(f"{{{W}}}date") or "")


def _paragraph(p: etree._Element) -> Paragraph:
    accepted: list[str] = []
    rejected: list[str] = []
    marks: list[Mark] = []
    for el in p.iter():
        tag = etree.QName(el).localname if isinstance(el.tag, str) else ""
        if tag in ("t", "delText", "tab", "br"):
            text = el.text or "" if tag in ("t", "delText") else " "
            state = _state(el, p)
            if state != "del":
                accepted.append(text)
            if state != "ins":
                rejected.append(text)
        elif tag in _KIND and el.getparent() is not None:
            parent = etree.QName(el.getparent()).localname
            if parent == "rPr":  # a paragraph mark, or a run's formatting
                continue
            marks.append(Mark(_KIND[tag], _marked_text(el), _author(el), _date(el)))
        elif tag in ("rPrChange", "pPrChange"):
            marks.append(Mark("format", "", _author(el), _date(el)))
    new, gone = _mark_change(p, "ins"), _mark_change(p, "del")
    if new is not None:
        marks.insert(0, Mark("paragraph-insertion", "".join(accepted), *new))
    if gone is not None:
        marks.insert(0, Mark("paragraph-deletion", "".join(rejected), *gone))
    names = tuple(str(b.get(f"{{{W}}}name")) for b in p.iter(f"{{{W}}}bookmarkStart"))
    notes = tuple(str(c.get(f"{{{W}}}id")) for c in p.iter(f"{{{W}}}commentRangeStart"))
    return Paragraph(
        "".join(accepted),
        "".join(rejected),
        names,
        tuple(marks),
        notes,
        new is not None,
        gone is not None,
    )


def _state(el: etree._Element, p: etree._Element) -> str | None:
    node = el.getparent()
    while node is not None and node is not p:
        if node.tag in _INSERTED:
            return "ins"
        if node.tag in _DELETED:
            return "del"
        node = node.getparent()
    return None


def _marked_text(el: etree._Element) -> str:
    return "".join(
        t.text or ""
        for t in el.iter()
        if isinstance(t.tag, str) and t.tag.endswith(("}t", "}delText"))
    )


def _mark_change(p: etree._Element, kind: str) -> tuple[str, str] | None:
    for el in p.findall(f"{{{W}}}pPr/{{{W}}}rPr/{{{W}}}{kind}"):
        return _author(el), _date(el)
    return None
