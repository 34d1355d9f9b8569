"""PDF output on the fixtures: text, fonts, pixels, reproducibility, missing fonts."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

from clausekit.errors import BuildError, ToolMissing
from clausekit.render.pdf import compile_typst, markdown_to_typst, render_pdf
from render_fixtures.helpers import (
    HOSTILE,
    HOSTILE_SHORT,
    dark_pixels_page1,
    fixture,
    pdf_embedded_fonts,
    pdf_text,
    squash,
)


@pytest.fixture(scope="module")
def zh_pdf() -> bytes:
    return render_pdf(fixture("zh.md"), "zh-CN", "zh fixture")


@pytest.fixture(scope="module")
def en_pdf() -> bytes:
    return render_pdf(fixture("en.md"), "en", "en fixture")


def test_zh_text_headings_amounts_signature(zh_pdf: bytes) -> None:
    pages = pdf_text(zh_pdf)
    text = squash("".join(pages))
    # Title first, then the parties, then article 一、 on page 1.
    page1 = squash(pages[0])
    assert page1.startswith("客服培训服务协议书甲方（委托方）：")
    for needle in (
        "法定代表人：张三",
        "一、培训服务内容及要求",
        "（一）培训内容",
        "1.客服沟通技巧培训",
        "五、培训服务费用及支付方式",
        "120,000.00元（大写：壹拾贰万元整）",
        "36,000.00元（大写：叁万陆仟元整）",
        "84,000.00元（大写：捌万肆仟元整）",
        "2026年12月1日",
    ):
        assert needle in text, needle
    for needle in ("名称（盖章）：广州示例培训有限公司", "法定代表人或授权代表（签字）：______"):
        assert needle in text
    assert text.count("日期：______") == 2
    assert squash(f"第 1 页 共 {len(pages)} 页") in page1


def test_en_text(en_pdf: bytes) -> None:
    pages = pdf_text(en_pdf)
    text = " ".join(" ".join(pages).split())
    assert text.startswith("Training Services Agreement")
    for needle in (
        "Article 1 Services",
        "1.1 Scope",
        "RMB 120,000.00 (one hundred and twenty thousand yuan)",
        "Name (seal): Example Training Ltd.",
        f"Page 1 of {len(pages)}",
    ):
        assert needle in text, needle


def test_hostile_values_print_literally(zh_pdf: bytes, en_pdf: bytes) -> None:
    for data in (zh_pdf, en_pdf):
        text = squash("".join(pdf_text(data)))
        assert squash(HOSTILE) in text
        assert text.count(squash(HOSTILE_SHORT)) == 2  # parties block and signature table


def test_typst_source_escapes_markup() -> None:
    source = markdown_to_typst(fixture("zh.md"), "zh")
    assert "\\#sys.exit()" in source and "\\#read(" in source
    assert "#sys.exit()" not in source.replace("\\#sys.exit()", "")


def test_zh_embeds_noto_cjk_fonts(zh_pdf: bytes) -> None:
    fonts = pdf_embedded_fonts(zh_pdf)
    names = " ".join(fonts)
    assert "NotoSerifCJKsc-Regular" in names  # body: Song style
    assert "NotoSansCJKsc-Bold" in names  # headings: Hei style
    # Nothing but the fonts we asked for: no system or Typst-embedded fallback.
    assert all("Noto" in n or "Liberation" in n for n in fonts), fonts


def test_en_embeds_liberation_serif(en_pdf: bytes) -> None:
    fonts = pdf_embedded_fonts(en_pdf)
    assert any("LiberationSerif" in n for n in fonts), fonts


def test_page1_is_not_blank(zh_pdf: bytes, tmp_path: Path) -> None:
    path = tmp_path / "zh.pdf"
    path.write_bytes(zh_pdf)
    dark, total = dark_pixels_page1(path)
    assert dark > total * 0.02, (dark, total)  # a page of text is several % ink


def test_pdf_is_byte_reproducible_within_a_process(zh_pdf: bytes) -> None:
    assert render_pdf(fixture("zh.md"), "zh-CN", "zh fixture") == zh_pdf


def test_pdf_is_byte_reproducible_across_processes(zh_pdf: bytes) -> None:
    # A fresh process has a fresh Typst compiler and font cache.
    code = (
        "import hashlib, sys\n"
        "from pathlib import Path\n"
        "from clausekit.render.pdf import render_pdf\n"
        "md = Path(sys.argv[1]).read_text(encoding='utf-8')\n"
        "print(hashlib.sha256(render_pdf(md, 'zh-CN', 'zh fixture')).hexdigest())\n"
    )
    fixture_path = Path(__file__).parent / "render_fixtures" / "zh.md"
    out = subprocess.run(
        [sys.executable, "-c", code, str(fixture_path)], check=True, capture_output=True, text=True
    ).stdout.strip()
    assert out == hashlib.sha256(zh_pdf).hexdigest()


def test_pdf_creation_date_is_fixed(zh_pdf: bytes) -> None:
    import io

    import pypdf

    info = pypdf.PdfReader(io.BytesIO(zh_pdf)).metadata
    assert info is not None and info.creation_date is not None
    assert info.creation_date.year == 2026 and info.creation_date.month == 1


def test_missing_font_is_tool_missing(tmp_path: Path) -> None:
    with pytest.raises(ToolMissing) as info:
        render_pdf(fixture("zh.md"), "zh-CN", "zh fixture", fonts=[tmp_path])
    assert info.value.exit_code == 3
    assert "apt-get install fonts-noto-cjk fonts-liberation2" in str(info.value)
    assert "Noto Serif CJK SC" in str(info.value)


def test_typst_warning_is_an_error() -> None:
    with pytest.raises(ToolMissing, match="unknown font family"):
        compile_typst('#text(font: "No Such Font")[x]', "en", "doc")
    # Any other warning fails the build too.
    with pytest.raises(BuildError, match="typst warning"):
        compile_typst("**", "en", "doc")


def test_typst_error_is_build_error() -> None:
    with pytest.raises(BuildError, match="doc: typst failed"):
        compile_typst("#nosuchfunction()", "en", "doc")


def test_typst_cannot_read_files_outside_assets() -> None:
    with pytest.raises(BuildError):
        compile_typst('#read("/etc/passwd")', "en", "doc")


def test_hostile_title_prints_literally() -> None:
    # The title comes through the YAML metadata block (JSON-quoted, Markdown-escaped).
    import json
    import re

    from clausekit.render.docx import render_docx
    from render_fixtures.helpers import docx_text

    title = '*ACME* #sys.exit() <w:p> $x$ #read("/etc/passwd") [a](b)'
    escaped = re.sub(r"([!-/:-@\[-`{-~])", r"\\\1", title)
    md = f"---\ntitle: {json.dumps(escaped)}\nlang: en\n---\n\nbody\n"
    assert pdf_text(render_pdf(md, "en"))[0].startswith(title + "\n")
    assert docx_text(render_docx(md, "en"))[0][0] == ("Title", title)
