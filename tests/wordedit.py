"""Edit a built DOCX the way Word records a counterparty's changes (for receive tests).

Each function changes `document.xml` as Word writes it: runs split at the change,
`w:ins`/`w:del` with author and date, paragraph marks marked inserted or deleted,
moves as `w:moveFrom`/`w:moveTo`, comments in `comments.xml`.
"""

from __future__ import annotations

import copy
import io
import itertools
import zipfile
from pathlib import Path

from lxml import etree

NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{NS}}}"
DATE = "2026-03-02T10:00:00Z"
_ids = itertools.count(5000)


def _el(tag: str, author: str | None = None, **attrs: str) -> etree._Element:
    el = etree.Element(W + tag)
    if author is not None:
        el.set(W + "id", str(next(_ids)))
        el.set(W + "author", author)
        el.set(W + "date", DATE)
    for k, v in attrs.items():
        el.set(W + k, v)
    return el


def _run(text: str, rpr: etree._Element | None, deleted: bool = False) -> etree._Element:
    r = _el("r")
    if rpr is not None:
        r.append(copy.deepcopy(rpr))
    t = _el("delText" if deleted else "t")
    t.text = text
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    r.append(t)
    return r


def paragraph(root: etree._Element, containing: str) -> etree._Element:
    for p in root.iter(W + "p"):
        if containing in "".join(t.text or "" for t in p.iter(W + "t")):
            return p
    raise AssertionError(f"no paragraph contains {containing!r}")


def replace(
    root: etree._Element, old: str, new: str, author: str, within: str | None = None
) -> None:
    """A tracked replacement: the run split at `old`, `old` deleted and `new` inserted
    (in the first run holding `old`, or the first of the paragraph containing `within`)."""
    scope = paragraph(root, within) if within is not None else root
    for t in scope.iter(W + "t"):
        text = t.text or ""
        if old in text:
            break
    else:
        raise AssertionError(f"no run holds {old!r}")
    run = t.getparent()
    rpr = run.find(W + "rPr")
    head, _, tail = text.partition(old)
    pieces = [_run(head, rpr)] if head else []
    deletion = _el("del", author)
    deletion.append(_run(old, rpr, deleted=True))
    pieces.append(deletion)
    if new:
        insertion = _el("ins", author)
        insertion.append(_run(new, rpr))
        pieces.append(insertion)
    if tail:
        pieces.append(_run(tail, rpr))
    parent = run.getparent()
    at = parent.index(run)
    parent.remove(run)
    for i, piece in enumerate(pieces):
        parent.insert(at + i, piece)


def untracked(root: etree._Element, old: str, new: str) -> None:
    """An edit made with tracking off: the text simply differs."""
    for t in root.iter(W + "t"):
        if old in (t.text or ""):
            t.text = t.text.replace(old, new, 1)
            return
    raise AssertionError(f"no run holds {old!r}")


def _mark(p: etree._Element, kind: str, author: str) -> None:
    ppr = p.find(W + "pPr")
    if ppr is None:
        ppr = _el("pPr")
        p.insert(0, ppr)
    rpr = ppr.find(W + "rPr")
    if rpr is None:
        rpr = _el("rPr")
        ppr.append(rpr)
    rpr.append(_el(kind, author))


def insert_paragraph(
    root: etree._Element, after: str, text: str, author: str, wrap: str = "ins"
) -> etree._Element:
    """A new paragraph (its mark inserted too) after the one containing `after`."""
    anchor = paragraph(root, after)
    p = _el("p")
    ppr = anchor.find(W + "pPr")
    if ppr is not None:
        p.append(copy.deepcopy(ppr))
        for old in p.findall(f"{W}pPr/{W}rPr"):
            old.getparent().remove(old)
    _mark(p, "ins", author)
    change = _el(wrap, author)
    change.append(_run(text, None))
    p.append(change)
    anchor.addnext(p)
    return p


def delete_paragraph(root: etree._Element, containing: str, author: str, wrap: str = "del") -> str:
    """The whole paragraph deleted (its mark too); returns its text."""
    p = paragraph(root, containing)
    text = "".join(t.text or "" for t in p.iter(W + "t"))
    change = _el(wrap, author)
    for r in p.findall(W + "r"):
        p.remove(r)
        for t in r.findall(W + "t"):
            t.tag = W + "delText"
        change.append(r)
    p.append(change)
    _mark(p, "del", author)
    return text


def move(root: etree._Element, containing: str, after: str, author: str) -> None:
    """A paragraph moved below another one: moveFrom where it was, moveTo where it goes."""
    text = delete_paragraph(root, containing, author, wrap="moveFrom")
    insert_paragraph(root, after, text, author, wrap="moveTo")


def comment(root: etree._Element, on: str, text: str, author: str) -> str:
    """A comment anchored on the paragraph containing `on`; returns the comments part."""
    p = paragraph(root, on)
    cid = str(next(_ids))
    p.insert(1, _el("commentRangeStart", id=cid))
    p.append(_el("commentRangeEnd", id=cid))
    ref = _el("r")
    ref.append(_el("commentReference", id=cid))
    p.append(ref)
    return (
        f'<w:comments xmlns:w="{NS}"><w:comment w:id="{cid}" w:author="{author}" '
        f'w:date="{DATE}" w:initials="X"><w:p><w:r><w:t>{text}</w:t></w:r></w:p>'
        "</w:comment></w:comments>"
    )


def edit_docx(src: Path, dest: Path, edit: object) -> None:
    """Copy `src` to `dest` with `edit(root)` applied to document.xml; a comments part
    it returns is added with its relationship and content type."""
    with zipfile.ZipFile(src) as z:
        members = {i.filename: z.read(i) for i in z.infolist()}
    root = etree.fromstring(members["word/document.xml"])
    comments = edit(root)  # type: ignore[operator]
    members["word/document.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    if comments:
        members["word/comments.xml"] = comments.encode()
        rels = members["word/_rels/document.xml.rels"].decode()
        members["word/_rels/document.xml.rels"] = rels.replace(
            "</Relationships>",
            '<Relationship Id="rIdCkComments" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/comments" Target="comments.xml"/></Relationships>',
        ).encode()
        types = members["[Content_Types].xml"].decode()
        members["[Content_Types].xml"] = types.replace(
            "</Types>",
            '<Override PartName="/word/comments.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"/></Types>',
        ).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    dest.write_bytes(out.getvalue())
