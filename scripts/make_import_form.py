"""Write tests/import_fixtures/services-form.en.docx: an English Word form whose
articles are Word list items (numbering.xml, not typed numbers) with bold titles,
with bracketed placeholders, a MERGEFIELD and a cover-terms table.

The text is original, written for the import tests; `FORM` is also what the
tests compare the imported blank form with.  Run: .venv/bin/python scripts/make_import_form.py
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

OUT = Path(__file__).resolve().parents[1] / "tests" / "import_fixtures" / "services-form.en.docx"

TITLE = "Master Services Agreement"
INTRO = (
    "This Agreement is dated [Date of agreement] and is made between "
    "[Legal name of customer] (the Customer) and [Legal name of supplier] (the Supplier)."
)
COVER = [
    ("Start Date", "[●]"),
    ("Monthly Fee", "USD [●]"),
    ("Notice Period", "[●] days"),
    ("Governing Law", "[Governing law]"),
]
# (title, text, [(sub-title, sub-text)])
FORM: list[tuple[str, str, list[tuple[str, str]]]] = [
    (
        "Defined Terms",
        "Capitalised words have the meanings given in the cover terms and in Section 3.1.",
        [],
    ),
    (
        "Services",
        "The Supplier provides the services described in each statement of work.",
        [
            ("Standard", "The Supplier works with reasonable skill and care."),
            ("Personnel", "The Supplier names [Name of account manager] as account manager."),
        ],
    ),
    (
        "Fees",
        "The Customer pays the Monthly Fee for the services.",
        [
            ("Invoices", "The Customer pays each invoice within ____ days of receiving it."),
            ("Late payment", "Late amounts bear interest at ____% a year."),
        ],
    ),
    ("Notices", "Notices to the Customer go to «CustomerContact» at its registered address.", []),
    (
        "Term",
        "Either party may end this Agreement on the notice period. Clause 3 survives its end.",
        [],
    ),
]
SIGNATURE = ["Signed for the Customer: ______", "Signed for the Supplier: ______"]

_ABSTRACT = (
    f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">'
    '<w:multiLevelType w:val="multilevel"/>'
    '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
    '<w:lvlText w:val="%1."/><w:lvlJc w:val="left"/></w:lvl>'
    '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
    '<w:lvlText w:val="%1.%2"/><w:lvlJc w:val="left"/></w:lvl>'
    "</w:abstractNum>"
)


def _numbered(doc: Document, num_id: int, level: int, title: str, text: str) -> None:
    p = doc.add_paragraph()
    ppr = p._p.get_or_add_pPr()
    ppr.append(
        parse_xml(
            f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/>'
            "</w:numPr>"
        )
    )
    p.add_run(title).bold = True
    _text(p, " " + text)


def _text(p: object, text: str) -> None:
    """Runs of text; «Name» becomes a Word MERGEFIELD showing «Name»."""
    head, sep, rest = text.partition("«")
    p.add_run(head)  # type: ignore[attr-defined]
    if sep:
        name, _, tail = rest.partition("»")
        p._p.append(  # type: ignore[attr-defined]
            parse_xml(
                f'<w:fldSimple {nsdecls("w")} w:instr=" MERGEFIELD {name} ">'
                f"<w:r><w:t>«{name}»</w:t></w:r></w:fldSimple>"
            )
        )
        p.add_run(tail)  # type: ignore[attr-defined]


def build(path: Path) -> None:
    doc = Document()
    numbering = doc.part.numbering_part.element
    numbering.insert(0, parse_xml(_ABSTRACT))
    numbering.append(
        parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>')
    )
    doc.add_heading(TITLE, level=0)
    doc.add_paragraph(INTRO)
    table = doc.add_table(rows=0, cols=2)
    for label, value in COVER:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = label, value
    for title, text, subs in FORM:
        _numbered(doc, 90, 0, title, text)
        for sub_title, sub_text in subs:
            _numbered(doc, 90, 1, sub_title, sub_text)
    for line in SIGNATURE:
        doc.add_paragraph(line)
    props = doc.core_properties
    props.author, props.title = "clausekit tests", TITLE
    assert qn("w:numPr")
    doc.save(str(path))


if __name__ == "__main__":
    build(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT)
    print(f"wrote {OUT if len(sys.argv) < 2 else sys.argv[1]}")
