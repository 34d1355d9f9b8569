"""The bilingual DOCX is Word-native too, checked with LibreOffice: in each language's
column the heading numbers come from that language's Word list, references are REF
fields to the bookmarks of their own column, and both follow an inserted row.

LibreOffice converts the DOCX to PDF; pdftotext reads each column on its own (a crop
box per column).  LibreOffice computes list numbers and REF fields itself on load.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx as python_docx
import pytest

from clausekit.assemble import Assembled, assemble_agreement, assemble_blank
from clausekit.check import Checked
from clausekit.load import load_library
from clausekit.render.wordnative import render_word_native
from test_docx_native import (
    NUMBERS,
    is_link,
    libreoffice_pdfs,
    numbers,
    pandoc_plain,
    replace_document,
    shifted,
    word_parts,
)

REPO = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.needs("soffice", "pdftotext")

TEMPLATE = "customer-service-training-bilingual"
DRAFT = f"{TEMPLATE}/2026-draft"
# A4 at 595 pt: the left column ends at 297.6 pt (margins 89.85 pt, text 415.6 pt);
# each crop box stays clear of the other column's cell margin.
COLUMNS = {"left": (0, 295), "right": (300, 295)}


def library(tmp: Path, numbering: str | None = None, layout: str | None = None) -> Checked:
    """The example library, the bilingual template in other numbering styles or layout."""
    root = tmp / "lib"
    for name in ("clauses", "templates", "agreements", "schema"):
        shutil.copytree(REPO / name, root / name)
    path = root / "templates" / f"{TEMPLATE}.yaml"
    text = path.read_text("utf-8")
    if numbering:
        text, n = re.subn(r"(?m)^numbering: .*$", f"numbering: {numbering}", text)
        assert n == 1
    if layout:
        text = text.replace("layout: parallel", f"layout: {layout}")
    path.write_text(text, "utf-8")
    return Checked(load_library(root))


def pdf_text(pdf: Path, column: str | None = None) -> str:
    crop: list[str] = []
    if column is not None:
        x, width = COLUMNS[column]
        # Down to the bottom margin: a row may break across pages, and the footer
        # ("第 1 页 共 9 页") would come between a reference's two lines.
        crop = ["-x", str(x), "-y", "0", "-W", str(width), "-H", "770"]
    text = subprocess.run(
        ["pdftotext", "-layout", *crop, str(pdf), "-"], check=True, capture_output=True
    ).stdout.decode("utf-8")
    # The header row (中文 · English) repeats on each page, inside a row broken there.
    return "\n".join(line for line in text.splitlines() if line.strip() not in ("中文", "English"))


def column_numbers(text: str, style: str) -> list[str]:
    """The numbers a reader sees in one column.  A narrow column wraps often: Chinese
    text is read as one string (a reference may wrap anywhere), English by lines."""
    if style.startswith("zh"):
        return re.findall(NUMBERS[style], "".join(text.split()))
    return numbers(text, style)


def language_markdown(doc: Assembled, lang: str) -> str:
    """One language's text of the assembled Markdown: headings starting their lines,
    everything else indented (as LibreOffice indents lists)."""
    out, inside = [], False
    for line in doc.markdown.splitlines():
        if line.startswith("::: {lang="):
            inside = line == f'::: {{lang="{lang}"}}'
        elif line == ":::":
            inside = False
        elif inside:
            out.append(line[line.index(" ") + 1 :] if line.startswith("#") else f"  {line}")
    return "\n".join(out)


def insert_row(docx: bytes) -> bytes:
    """A new first article: a row holding a copy of each cell's first Heading 1
    paragraph (without its bookmark), inserted before the first article's row."""
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    start = xml.rindex("<w:tr>", 0, xml.index('w:name="_RefCkZhCN1"'))
    row = xml[start : xml.index("</w:tr>", start)]
    cells = []
    for cell, title in zip(
        row.split("<w:tc>")[1:], ("插入的条款", "Inserted article"), strict=True
    ):
        props = cell[: cell.index("</w:tcPr>") + 9]
        m = re.search(r'<w:p><w:pPr><w:pStyle w:val="Heading1(?:Second)?" ?/>.*?</w:p>', cell, re.S)
        assert m is not None
        para = re.sub(r"<w:bookmark(Start|End) [^>]*/>", "", m.group(0))
        para = re.sub(r"(<w:t[^>]*>)[^<]*", rf"\g<1>{title}", para, count=1)
        cells.append(f"<w:tc>{props}{para}</w:tc>")
    xml = xml[:start] + "<w:tr>" + "".join(cells) + "</w:tr>" + xml[start:]
    return replace_document(docx, xml)


PARALLEL_CASES = [
    ("zh-CN-article", "legal"),  # the example: REF fields in both columns
    ("decimal", "decimal"),  # one style in both columns: two lists, counted apart
]


@pytest.mark.parametrize(("zh", "en"), PARALLEL_CASES)
def test_each_column_prints_its_numbers_and_follows_an_inserted_row(
    tmp_path: Path, zh: str, en: str
) -> None:
    checked = library(tmp_path, f"{{zh-CN: {zh}, en: {en}}}")
    doc = assemble_agreement(checked, DRAFT)
    assert doc.numberings == (zh, en)
    data = render_word_native(doc, DRAFT)
    pdfs = libreoffice_pdfs({"before": data, "after": insert_row(data)}, tmp_path)
    for column, lang, style in (("left", "zh-CN", zh), ("right", "en", en)):
        want = column_numbers(language_markdown(doc, lang), style)
        assert len(want) > 20, (lang, want)
        assert column_numbers(pdf_text(pdfs["before"], column), style) == want, lang
        # After the insertion: a new first article, every later article number and
        # every REF field one up; hyperlinked references keep the computed text.
        moved = [t if is_link(t, style) else shifted(t, style) for t in want]
        first = (
            "第一条" if style == "zh-CN-article" else "1." if style == "decimal" else "Article 1"
        )
        assert column_numbers(pdf_text(pdfs["after"], column), style) == [first, *moved], lang


def test_sequential_texts_number_on_their_own(tmp_path: Path) -> None:
    checked = library(tmp_path, layout="sequential")
    doc = assemble_agreement(checked, DRAFT)
    data = render_word_native(doc, DRAFT)
    # A heading inserted into the English text moves only the English numbers.
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    at = xml.rindex("<w:p>", 0, xml.index('w:name="_RefCkEn1"'))
    copy = re.sub(r"<w:bookmark(Start|End) [^>]*/>", "", xml[at : xml.index("</w:p>", at) + 6])
    pdfs = libreoffice_pdfs(
        {"before": data, "after": replace_document(data, xml[:at] + copy + xml[at:])}, tmp_path
    )
    before, after = (pdf_text(p) for p in (pdfs["before"], pdfs["after"]))
    english = before.index("Customer Service Training Services Agreement")
    zh_want = column_numbers(language_markdown_sequential(doc, "zh-CN"), "zh-CN-article")
    en_want = numbers(language_markdown_sequential(doc, "en"), "legal")
    assert column_numbers(before[:english], "zh-CN-article") == zh_want
    assert numbers(before[english:], "legal") == en_want
    english = after.index("Customer Service Training Services Agreement")
    assert column_numbers(after[:english], "zh-CN-article") == zh_want
    moved = [shifted(t, "legal") for t in en_want]
    assert numbers(after[english:], "legal") == ["Article 1", *moved]


def language_markdown_sequential(doc: Assembled, lang: str) -> str:
    text = doc.markdown.split(f':::: {{.ck-text lang="{lang}"}}', 1)[1].split("\n::::", 1)[0]
    return "\n".join(
        line[line.index(" ") + 1 :] if line.startswith("#") else f"  {line}"
        for line in text.splitlines()
        if not line.startswith(":::")
    )


MARKED_HEADING = re.compile(r"^(#+) (.*) \{\.ck-num ck-bm=(_RefCk([A-Za-z]+)\d+)\}$", re.M)
MARKED_REF = re.compile(r"\[([^\]]+)\]\{\.ck-ref ck-bm=_RefCk([A-Za-z]+)\d+([^}]*)\}")


def bilingual_documents(tmp: Path) -> list[tuple[str, Assembled]]:
    """The example's bilingual agreements and blank form, and one set out sequentially."""
    checked = Checked(load_library(REPO))
    keys = [a for a in sorted(checked.lib.agreements) if a.startswith(f"{TEMPLATE}/")]
    docs = [(key, assemble_agreement(checked, key)) for key in keys]
    docs.append((f"blank/{TEMPLATE}", assemble_blank(checked, TEMPLATE)))
    docs.append(("sequential", assemble_agreement(library(tmp, layout="sequential"), DRAFT)))
    assert {d.layout for _, d in docs} == {"parallel", "sequential"} and len(docs) == 4
    return docs


def test_every_bilingual_docx_is_word_native(tmp_path: Path) -> None:
    for key, doc in bilingual_documents(tmp_path):
        data, xml, custom, header = word_parts(doc, key, "docProps/custom.xml")
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            styles = z.read("word/styles.xml").decode("utf-8")
        # Each numbered heading of each text: a heading paragraph holding its bookmark
        # and its title; the second text's in its own list (numIds 5-8), the first
        # text's in the list its heading style is linked to.
        marked = MARKED_HEADING.findall(doc.word_markdown)
        assert {m[3] for m in marked} == {"ZhCN", "En"}, key
        for hashes, title, name, tag in marked:
            m = re.search(rf'<w:p>(?:(?!</w:p>).)*w:name="{name}"(?:(?!</w:p>).)*</w:p>', xml)
            # The second text's in `Heading N (second text)`, linked to its own list.
            style = f"Heading{len(hashes)}" + ("Second" if tag == "En" else "")
            assert m is not None and f'w:pStyle w:val="{style}"' in m.group(0), (key, name)
            text = "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", m.group(0)))
            assert text == title.replace("\\", ""), (key, text)
            assert "<w:numPr>" not in m.group(0), (key, name)  # the style numbers it
        for level in range(1, 5):
            linked = re.search(
                rf'w:styleId="Heading{level}Second"[^>]*>.*?<w:numId w:val="(\d+)"', styles, re.S
            )
            assert linked is not None and linked.group(1) == "8", key  # legal, second list
        assert len({m[2] for m in marked}) == len(marked)
        # Every other heading (the sequential English title's text, preamble) opts out.
        opted = xml.count('<w:numId w:val="0"/>')
        assert opted == len(re.findall(r'w:val="Heading\d(?:Second)?"', xml)) - len(marked), key
        # References: REF fields and hyperlinks, each to a bookmark of its own column.
        refs = MARKED_REF.findall(doc.word_markdown)
        fields = [r for r in refs if "ck-field" in r[2]]
        assert len(fields) > 10 and len(refs) > len(fields), key
        assert xml.count(" REF _RefCk") == len(fields), key
        assert xml.count('w:anchor="_RefCk') == len(refs) - len(fields), key
        if doc.layout == "parallel":
            for cell in xml.split("</w:tc>"):
                tags = re.findall(r'(?:w:name="| REF |w:anchor=")_RefCk([A-Za-z]+)\d', cell)
                assert len(set(tags)) <= 1, (key, set(tags))
            assert len(python_docx.Document(io.BytesIO(data)).tables) == 1, key
        # Properties, and the draft watermark only on drafts.
        assert f">{doc.status or 'blank'}<" in custom and f">{TEMPLATE}<" in custom, key
        assert header == (doc.status == "draft"), key
        # Pandoc reads it back: every reference as computed (the fields' cached results).
        plain = re.sub(r"\s+", " ", pandoc_plain(data, tmp_path))
        for shown, _, _ in refs:
            assert shown in plain, (key, shown)


def test_a_new_heading_in_the_second_column_takes_its_style_and_numbers(tmp_path: Path) -> None:
    """What a lawyer does in Word: a new paragraph in the English column, given the
    style `Heading 1 (second text)` (no numbering of its own, no copy of another)."""
    checked = library(tmp_path)
    doc = assemble_agreement(checked, DRAFT)
    data = render_word_native(doc, DRAFT)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    at = xml.rindex("<w:p>", 0, xml.index('w:name="_RefCkEn1"'))
    new = (
        '<w:p><w:pPr><w:pStyle w:val="Heading1Second"/></w:pPr>'
        "<w:r><w:t>Inserted article</w:t></w:r></w:p>"
    )
    pdfs = libreoffice_pdfs({"after": replace_document(data, xml[:at] + new + xml[at:])}, tmp_path)
    zh_want = column_numbers(language_markdown(doc, "zh-CN"), "zh-CN-article")
    en_want = column_numbers(language_markdown(doc, "en"), "legal")
    assert column_numbers(pdf_text(pdfs["after"], "left"), "zh-CN-article") == zh_want
    moved = [shifted(t, "legal") for t in en_want]
    assert column_numbers(pdf_text(pdfs["after"], "right"), "legal") == ["Article 1", *moved]
