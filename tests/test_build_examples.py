"""`build` on the repository's own example agreements and blank forms, end to end:
real assembly, real Pandoc and Typst.  Expected text is derived from the assembled
Markdown, so the checks follow the examples as they are edited."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import docx
import pytest

from clausekit.assemble import Assembled, assemble_agreement, assemble_blank
from clausekit.check import Checked
from clausekit.load import load_library
from clausekit.publish.build import MANIFEST, build
from render_fixtures.helpers import (
    dark_pixels_page1,
    docx_text,
    pdf_embedded_fonts,
    pdf_text,
    squash,
)

ROOT = Path(__file__).resolve().parent.parent
FORMATS = {"md", "docx", "pdf"}
ZH_FINAL = "customer-service-training/2026-shenzhen-final"
MONEY = re.compile(r"\d{1,3}(?:,\d{3})*\.\d{2}")
UPPER = re.compile(r"大写[:：]\s*([零壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整]+)")


def unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text.replace("**", ""))


def parallel_docx_text(data: bytes) -> tuple[list[tuple[str, str]], list[list[str]]]:
    """`docx_text` of a bilingual parallel document: the paragraphs of the body and of
    each cell of the parallel table (row by row, Chinese then English, as in the
    Markdown), and the rows of the tables inside those cells (the signature block)."""
    document = docx.Document(io.BytesIO(data))
    paragraphs = [(p.style.name if p.style else "", p.text) for p in document.paragraphs]
    rows: list[list[str]] = []
    for row in document.tables[0].rows[1:]:  # after the header row (中文 · English)
        for cell in row.cells:
            paragraphs += [(p.style.name if p.style else "", p.text) for p in cell.paragraphs]
            rows += [[c.text for c in r.cells] for table in cell.tables for r in table.rows]
    return paragraphs, rows


@pytest.fixture(scope="module")
def checked() -> Checked:
    return Checked(load_library(ROOT))


@pytest.fixture(scope="module")
def dist(checked: Checked, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    build(checked, None, sorted(checked.lib.templates), FORMATS, out)
    return out


def assemble_any(checked: Checked, key: str) -> Assembled:
    if key.startswith("blank/"):
        return assemble_blank(checked, key.removeprefix("blank/"))
    return assemble_agreement(checked, key)


def documents(checked: Checked) -> list[str]:
    return [*sorted(checked.lib.agreements), *(f"blank/{t}" for t in sorted(checked.lib.templates))]


def test_every_example_and_blank_form_is_built(checked: Checked, dist: Path) -> None:
    manifest = json.loads((dist / MANIFEST).read_text(encoding="utf-8"))
    assert sorted(manifest["documents"]) == sorted(documents(checked))
    for key in documents(checked):
        for fmt in FORMATS:
            assert (dist / f"{key}.{fmt}").stat().st_size > 0
        inputs = manifest["documents"][key]["inputs"]
        assert any(i["kind"] == "template" for i in inputs)
        assert all(len(i["sha256"]) == 64 for i in inputs)


def test_text_of_docx_and_pdf_matches_the_assembled_markdown(checked: Checked, dist: Path) -> None:
    for key in documents(checked):
        markdown = (dist / f"{key}.md").read_text(encoding="utf-8")
        read = parallel_docx_text if ".ck-row" in markdown else docx_text
        paragraphs, rows = read((dist / f"{key}.docx").read_bytes())
        docx_all = squash("".join(t for _, t in paragraphs) + "".join("".join(r) for r in rows))
        pdf_all = squash("".join(pdf_text((dist / f"{key}.pdf").read_bytes())))
        headings = [unescape(h) for h in re.findall(r"^#{1,6} (.+)$", markdown, re.M)]
        # Word numbers the headings itself (its list, see test_docx_native.py): the
        # paragraphs hold the titles, and only unnumbered headings keep their text whole.
        docx_headings = [t for s, t in paragraphs if s.startswith("Heading")]
        assert len(docx_headings) == len(headings), key
        assert all(h.endswith(d) for h, d in zip(headings, docx_headings, strict=True)), key
        numbered = [h for h, d in zip(headings, docx_headings, strict=True) if h != d]
        doc = assemble_any(checked, key)
        # A bilingual document's two texts mirror each other: each has the headings.
        texts = 2 if doc.layout else 1
        assert len(numbered) == texts * len(doc.headings), key
        wanted = [*headings, *MONEY.findall(markdown), *UPPER.findall(markdown)]
        if not key.startswith("blank/"):
            values = checked.lib.agreements[key].values
            wanted += [
                str(v["name"]) for v in values.values() if isinstance(v, dict) and "name" in v
            ]
        table = [line for line in markdown.splitlines() if line.startswith("| ")]
        cells = [unescape(c.strip()) for line in table for c in line.strip("|").split(" | ")]
        wanted += cells
        assert [c.strip() for c in cells if c.strip()] == [c for r in rows for c in r if c], key
        for needle in wanted:
            if needle not in numbered:
                assert squash(needle) in docx_all, (key, "docx", needle)
            assert squash(needle) in pdf_all, (key, "pdf", needle)


def test_zh_final_pdf_page1(dist: Path) -> None:
    data = (dist / f"{ZH_FINAL}.pdf").read_bytes()
    page1 = squash(pdf_text(data)[0])
    markdown = (dist / f"{ZH_FINAL}.md").read_text(encoding="utf-8")
    title = re.search(r'^title: "(.*)"$', markdown, re.M)
    assert title and page1.startswith(squash(title.group(1)))
    assert "甲方" in page1 and "乙方" in page1 and "一、" in page1
    fonts = " ".join(pdf_embedded_fonts(data))
    assert "NotoSerifCJKsc" in fonts and "NotoSansCJKsc" in fonts
    dark, total = dark_pixels_page1(dist / f"{ZH_FINAL}.pdf")
    assert dark > total * 0.02


def test_rebuild_is_a_no_op_and_force_is_byte_identical(checked: Checked, dist: Path) -> None:
    before = {p: p.read_bytes() for p in dist.rglob("*") if p.is_file()}
    again = build(checked, None, sorted(checked.lib.templates), FORMATS, dist)
    assert again.built == []
    forced = build(checked, None, sorted(checked.lib.templates), FORMATS, dist, force=True)
    assert len(forced.built) == len(documents(checked)) * len(FORMATS)
    assert {p: p.read_bytes() for p in dist.rglob("*") if p.is_file()} == before
