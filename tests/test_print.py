"""Print: the DOCX (as LibreOffice lays it out) and the PDF break pages alike, the
signature block holds together, Chinese body paragraphs are indented, and a
`{% for %}` list prints tight in every format."""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from pathlib import Path

import pypdf
import pytest

from clausekit.assemble import Assembled, assemble_agreement
from clausekit.check import Checked
from clausekit.load import load_library
from clausekit.render.formats import render
from clausekit.render.pdf import markdown_to_typst
from helpers_lib import checked_library
from test_docx_native import libreoffice_pdfs

ROOT = Path(__file__).resolve().parent.parent
FINALS = (
    "customer-service-training/2026-shenzhen-final",
    "customer-service-training-bilingual/2026-shenzhen-final",
    "customer-service-training-en/2026-shanghai-final",
    "mutual-nda/2026-shenzhen-hangzhou-final",
)
ZH_FINAL = FINALS[0]


@pytest.fixture(scope="module")
def checked() -> Checked:
    return Checked(load_library(ROOT))


@pytest.fixture(scope="module")
def finals(checked: Checked) -> dict[str, Assembled]:
    return {key: assemble_agreement(checked, key) for key in FINALS}


@pytest.fixture(scope="module")
def docx_files(finals: dict[str, Assembled]) -> dict[str, bytes]:
    return {key: render(doc, "docx", key) for key, doc in finals.items()}


@pytest.fixture(scope="module")
def lo_pdfs(
    docx_files: dict[str, bytes], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Path]:
    """Each final's DOCX as LibreOffice prints it (one soffice run)."""
    names = {key.replace("/", "--"): data for key, data in docx_files.items()}
    pdfs = libreoffice_pdfs(names, tmp_path_factory.mktemp("lo"))
    return {key: pdfs[key.replace("/", "--")] for key in docx_files}


def pages(pdf: bytes | Path) -> int:
    data = pdf.read_bytes() if isinstance(pdf, Path) else pdf
    return len(pypdf.PdfReader(io.BytesIO(data)).pages)


@pytest.mark.needs("soffice")
def test_docx_and_pdf_paginate_alike(
    finals: dict[str, Assembled], lo_pdfs: dict[str, Path]
) -> None:
    counts = {
        key: (pages(lo_pdfs[key]), pages(render(doc, "pdf", key))) for key, doc in finals.items()
    }
    off = {key: c for key, c in counts.items() if abs(c[0] - c[1]) > 1}
    assert not off, f"LibreOffice vs PDF pages differ by more than one: {off} (all: {counts})"


def document_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read("word/document.xml").decode("utf-8")


def styles_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read("word/styles.xml").decode("utf-8")


def signature_table(data: bytes) -> str:
    tables = re.findall(r"<w:tbl>.*?</w:tbl>", document_xml(data), re.S)
    table = next(t for t in tables if "名称（盖章）" in t)
    return str(table)


def test_signature_table_holds_together_unruled(docx_files: dict[str, bytes]) -> None:
    xml = document_xml(docx_files[ZH_FINAL])
    table = signature_table(docx_files[ZH_FINAL])
    rows = re.findall(r"<w:tr>.*?</w:tr>", table, re.S)
    assert len(rows) == 4
    assert "tblHeader" not in table
    assert all(r.startswith("<w:tr><w:trPr><w:cantSplit/></w:trPr>") for r in rows)
    # Every paragraph of every row but the last keeps with the next; the last is free.
    for row in rows[:-1]:
        assert row.count("<w:p>") == row.count("<w:keepNext/>") > 0
    assert "keepNext" not in rows[-1]
    # The line before the table ("以下无正文") keeps with it.
    before = xml[: xml.index(table)].rsplit("<w:p>", 1)[1]
    assert "以下无正文" in before and "<w:keepNext/>" in before
    # The parties' header row is bold, the others are not.
    assert rows[0].count("<w:b/>") == 2 and "<w:b/>" not in "".join(rows[1:])
    assert rows[0].count('<w:bottom w:val="none"') == 2
    assert (
        '<w:insideV w:val="none" w:sz="0" w:space="0" w:color="auto"/>' in table
        and "ckSignature" not in xml
    )


def test_signature_borders_option(finals: dict[str, Assembled]) -> None:
    ruled = finals[ZH_FINAL]._replace(signature_borders=True)
    table = signature_table(render(ruled, "docx", "ruled"))
    assert "tblBorders" not in table  # the reference DOCX's Table style rules it
    assert "<w:cantSplit/>" in table


@pytest.mark.needs("soffice", "pdftotext")
def test_signature_block_on_one_page_in_libreoffice(lo_pdfs: dict[str, Path]) -> None:
    text = subprocess.run(
        ["pdftotext", str(lo_pdfs[ZH_FINAL]), "-"], check=True, capture_output=True
    ).stdout.decode("utf-8")
    page = next(p for p in text.split("\f") if "名称（盖章）" in p)
    assert "以下无正文" in page and "日期：" in page and "法定代表人或授权代表（签字）" in page


def test_chinese_body_indented_by_default(
    docx_files: dict[str, bytes], finals: dict[str, Assembled]
) -> None:
    body = re.search(r'w:styleId="BodyText".*?</w:style>', styles_xml(docx_files[ZH_FINAL]), re.S)
    assert (
        body and 'w:firstLineChars="200"' in body.group(0) and 'w:firstLine="480"' in body.group(0)
    )
    en = re.search(r'w:styleId="BodyText".*?</w:style>', styles_xml(docx_files[FINALS[2]]), re.S)
    assert en and 'w:firstLineChars="0"' in en.group(0)
    off = finals[ZH_FINAL]._replace(first_line_indent=False)
    body = re.search(
        r'w:styleId="BodyText".*?</w:style>', styles_xml(render(off, "docx", "off")), re.S
    )
    assert body and 'w:firstLineChars="0" w:firstLine="0"' in body.group(0)


@pytest.mark.needs("pdftotext")
def test_chinese_body_indented_in_pdf(finals: dict[str, Assembled]) -> None:
    """The first line of a body paragraph starts two characters (24 pt) right of the next."""

    def first_lines(doc: Assembled) -> tuple[float, float]:
        pdf = render(doc, "pdf", "indent")
        html = subprocess.run(
            ["pdftotext", "-bbox", "-f", "1", "-l", "1", "-", "-"],
            input=pdf,
            check=True,
            capture_output=True,
        ).stdout.decode("utf-8")
        words = re.findall(r'<word xMin="([\d.]+)"[^>]*>([^<]*)</word>', html)
        i = next(i for i, (_, w) in enumerate(words) if w.startswith("鉴于"))
        return float(words[i][0]), float(words[i + 1][0])  # the first line, the second

    start, left = first_lines(finals[ZH_FINAL])
    assert 22 <= start - left <= 26
    start, left = first_lines(finals[ZH_FINAL]._replace(first_line_indent=False))
    assert start - left < 1


LIST_LIBRARY = {
    "templates/t.yaml": """
        title: 清单
        version: 1.0.0
        lang: zh-CN
        body: [c/items]
        print: {first_line_indent: false, signature_borders: true}
    """,
    "clauses/c/items.md": """
        ---
        title: 交付物
        version: 1.0.0
        status: approved
        lang: zh-CN
        variables:
          items: {type: array, items: {type: string}}
        ---
        乙方应交付：

        {% for item in items %}
        - {{ item }}
        {% endfor %}

        以上交付物均须经甲方验收。
    """,
    "agreements/t/a.yaml": """
        template: t
        status: final
        variables:
          items: [培训计划, 培训教材, 总结报告]
    """,
}


def test_for_loop_prints_a_tight_list(tmp_path: Path) -> None:
    doc = assemble_agreement(checked_library(tmp_path, LIST_LIBRARY), "t/a")
    assert (doc.first_line_indent, doc.signature_borders) == (False, True)  # `print:`
    assert "- 培训计划\n- 培训教材\n- 总结报告\n" in doc.markdown
    xml = document_xml(render(doc, "docx", "list"))
    items = re.findall(
        r'<w:p><w:pPr><w:pStyle w:val="(\w+)" />(?:(?!</w:p>).)*?(培训\w+|总结报告)', xml
    )
    assert [s for s, _ in items] == ["Compact"] * 3
    typst = markdown_to_typst(doc.markdown, "list")
    assert "tight: false" not in typst and "- 培训计划\n- 培训教材\n- 总结报告" in typst


BILINGUAL = FINALS[1]
SIGNATURE_HEADS = ("甲方", "Party A (the Client)")


def bilingual_signature_tables(data: bytes) -> list[str]:
    """The two languages' signature tables (tables inside the parallel table's cells
    included: a signature table holds no other table)."""
    xml = document_xml(data)
    starts = [m.start() for m in re.finditer("<w:tbl>", xml)]
    inner = [re.match(r"<w:tbl>(?:(?!<w:tbl>).)*?</w:tbl>", xml[i:], re.S) for i in starts]
    tables = [m.group(0) for m in inner if m]
    return [t for t in tables if any(f">{head}<" in t for head in SIGNATURE_HEADS)]


def assert_held_unruled(table: str) -> None:
    rows = re.findall(r"<w:tr>.*?</w:tr>", table, re.S)
    assert "tblHeader" not in table
    assert all(r.startswith("<w:tr><w:trPr><w:cantSplit/></w:trPr>") for r in rows)
    assert '<w:insideV w:val="none" w:sz="0" w:space="0" w:color="auto"/>' in table
    assert "<w:b/>" in rows[0] and "<w:b/>" not in "".join(rows[1:])


@pytest.mark.parametrize("layout", ["parallel", "sequential"])
def test_bilingual_signature_tables_hold_together_unruled(
    layout: str, docx_files: dict[str, bytes], tmp_path: Path
) -> None:
    if layout == "parallel":
        data = docx_files[BILINGUAL]
    else:
        files = {
            str(p.relative_to(ROOT)): p.read_text("utf-8")
            for folder in ("clauses", "templates", "agreements", "schema")
            for p in (ROOT / folder).rglob("*")
            if p.is_file()
        }
        name = "templates/customer-service-training-bilingual.yaml"
        files[name] = files[name].replace("layout: parallel", "layout: sequential")
        doc = assemble_agreement(checked_library(tmp_path, files), BILINGUAL)
        assert doc.layout == "sequential"
        data = render(doc, "docx", BILINGUAL)
    tables = bilingual_signature_tables(data)
    assert len(tables) == 2, f"one signature table per language in the {layout} layout"
    for table in tables:
        assert_held_unruled(table)
    xml = document_xml(data)
    assert "ckSignature" not in xml
    if layout == "parallel":  # the parallel table itself still repeats its language header
        assert xml.count("<w:tblHeader") == 1


def test_bilingual_pdf_signature_unruled(finals: dict[str, Assembled]) -> None:
    from clausekit.render.parallel import typst_source

    source = typst_source(finals[BILINGUAL].markdown, finals[BILINGUAL].lang, BILINGUAL)
    assert source.count("] <ckSignature>") == 2  # each language's signature block
