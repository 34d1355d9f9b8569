"""The signature block of a printed document: held together, unruled by default.

A signature table printed across a page break (one party's "Signature" row alone
on the next page) invites a swapped page.  Before Pandoc, the document's signature
part (the template's `signature` clause, `Assembled.sections`) is put in a div
with the id `ckSignature`: Pandoc makes it a bookmark in the DOCX and a label in
the Typst source.  In the DOCX, every table after that bookmark

* has no repeated header row (Pandoc marks a pipe table's first row `w:tblHeader`),
* has rows that never split (`w:cantSplit`),
* keeps each row, and the paragraphs before it in the signature part, with the
  next (`w:keepNext`), so the block moves to the next page as one,
* has a bold first row, and no borders unless the template's
  `print.signature_borders` asks for them.

In the PDF, Pandoc already puts each table in a figure, which never breaks; the
template (assets/clausekit.typst) drops the rules unless asked.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

MARK = "ckSignature"
# A bilingual document has one signature part per language: ckSignature, ckSignature2.
_BOOKMARK = re.compile(rb'<w:bookmarkStart w:id="(\d+)" w:name="' + MARK.encode() + rb'\d*" ?/>')
# The class `assemble.bilingual` puts on each language's signature part.
_SIGN_FENCE = re.compile(r"^(:::+) \{\.ck-sign\}$", re.M)
_TABLE = re.compile(rb"<w:tbl>.*?</w:tbl>", re.S)
_ROW = re.compile(rb"<w:tr>(?:<w:trPr>.*?</w:trPr>)?", re.S)
_STYLE = re.compile(rb"(<w:pPr><w:pStyle [^>]*?/>)")
_RUN = re.compile(rb"<w:r>(?:<w:rPr>((?:<w:rStyle [^>]*?/>)?(?:<w:rFonts [^>]*?/>)?))?")
_NO_BORDERS = (
    b"<w:tblBorders>"
    + b"".join(
        b'<w:%s w:val="none" w:sz="0" w:space="0" w:color="auto"/>' % side
        for side in (b"top", b"left", b"bottom", b"right", b"insideH", b"insideV")
    )
    + b"</w:tblBorders>"
)

_NO_FOOT = (
    b'<w:tcPr><w:tcBorders><w:bottom w:val="none" w:sz="0" w:space="0" w:color="auto"/>'
    b"</w:tcBorders></w:tcPr>"
)


def mark_signature(text: str, sections: Sequence[tuple[str, str]]) -> str:
    """`text` (the Markdown or the Word text of a one-language document, which ends
    with its sections) with its signature part in the `ckSignature` div."""
    signature = next((s for kind, s in reversed(sections) if kind == "signature"), "")
    body = text.rstrip("\n")
    if not signature or not body.endswith(signature):
        return text
    head = body[: len(body) - len(signature)]
    return f"{head}::: {{#{MARK}}}\n{signature}\n:::\n"


def mark_bilingual_signatures(text: str) -> str:
    """A bilingual Word text with each language's signature part (a `.ck-sign` div)
    given its own bookmark: `ckSignature`, then `ckSignature2`."""
    count = iter(range(1, 1000))

    def named(m: re.Match[str]) -> str:
        n = next(count)
        return f"{m.group(1)} {{#{MARK}{'' if n == 1 else n}}}"

    return _SIGN_FENCE.sub(named, text)


def hold_signature(xml: bytes, borders: bool) -> bytes:
    """document.xml with the tables of each signature part set as the module says;
    the bookmarks that found them are removed."""
    out: list[bytes] = []
    while (found := _BOOKMARK.search(xml)) is not None:
        ends = [b'<w:bookmarkEnd w:id="' + found.group(1) + e for e in (b'" />', b'"/>')]
        stop = min((i for e in ends if (i := xml.find(e, found.end())) >= 0), default=len(xml))
        end = next((e for e in ends if xml.startswith(e, stop)), b"")
        out += [xml[: found.start()], _held(xml[found.end() : stop], borders)]
        xml = xml[stop + len(end) :]
    return b"".join(out) + xml


def _held(part: bytes, borders: bool) -> bytes:
    parts = _TABLE.split(part)
    tables = [_table(t.group(0), borders) for t in _TABLE.finditer(part)]
    out = []
    for i, between in enumerate(parts):
        # The paragraphs before a table keep with it; those after the last stay free.
        out.append(_STYLE.sub(rb"\1<w:keepNext/>", between) if i < len(tables) else between)
        if i < len(tables):
            out.append(tables[i])
    return b"".join(out)


def _table(table: bytes, borders: bool) -> bytes:
    rows = _ROW.split(table)
    # rows[0] is the table's properties and grid; each later piece is one row's cells.
    last = len(rows) - 1
    out = [rows[0] if borders else _unruled(rows[0])]
    for i, cells in enumerate(rows[1:], start=1):
        if i == 1:
            cells = _RUN.sub(_bold, cells)
            if not borders:  # the Table style rules the first row's foot
                cells = cells.replace(b"<w:tcPr />", _NO_FOOT).replace(b"<w:tcPr/>", _NO_FOOT)
        if i < last:
            cells = _STYLE.sub(rb"\1<w:keepNext/>", cells)
        out.append(b"<w:tr><w:trPr><w:cantSplit/></w:trPr>" + cells)
    return b"".join(out)


def _bold(m: re.Match[bytes]) -> bytes:
    if m.group(0) == b"<w:r>":  # a run without properties
        return b"<w:r><w:rPr><w:b/><w:bCs/></w:rPr>"
    return b"<w:r><w:rPr>" + (m.group(1) or b"") + b"<w:b/><w:bCs/>"


def _unruled(props: bytes) -> bytes:
    """The table's properties with every border off (tblBorders sits before tblLayout,
    tblCellMar and tblLook in the schema's order)."""
    for anchor in (b"<w:tblLayout", b"<w:tblCellMar", b"<w:tblLook", b"</w:tblPr>"):
        if anchor in props:
            return props.replace(anchor, _NO_BORDERS + anchor, 1)
    return props
