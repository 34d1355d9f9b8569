"""DOCX output on the fixtures: text, styles, fonts, page setup, reproducibility."""

from __future__ import annotations

import importlib.util
import io
import re
import zipfile
from pathlib import Path
from types import ModuleType

import pytest

from clausekit.render.docx import reference_docx, render_docx, render_html
from render_fixtures.helpers import HOSTILE, HOSTILE_SHORT, docx_part, docx_text, fixture


def _script() -> ModuleType:
    script = Path(__file__).parent.parent / "scripts" / "make_reference_docx.py"
    spec = importlib.util.spec_from_file_location("make_reference_docx", script)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def zh_docx() -> bytes:
    return render_docx(fixture("zh.md"), "zh-CN", "zh fixture")


@pytest.fixture(scope="module")
def en_docx() -> bytes:
    return render_docx(fixture("en.md"), "en", "en fixture")


def test_zh_headings_keep_their_numbers_and_levels(zh_docx: bytes) -> None:
    paragraphs, _ = docx_text(zh_docx)
    assert paragraphs[0] == ("Title", "客服培训服务协议书")
    headings = [(s, t) for s, t in paragraphs if s.startswith("Heading")]
    assert headings[:3] == [
        ("Heading 1", "一、培训服务内容及要求"),
        ("Heading 2", "（一）培训内容"),
        ("Heading 3", "1. 客服沟通技巧培训"),
    ]
    assert ("Heading 1", "五、培训服务费用及支付方式") in headings


def test_zh_amounts_names_and_signature_block(zh_docx: bytes) -> None:
    paragraphs, rows = docx_text(zh_docx)
    text = "\n".join(t for _, t in paragraphs)
    for needle in ("120,000.00", "壹拾贰万元整", "36,000.00", "叁万陆仟元整", "捌万肆仟元整"):
        assert needle in text
    assert "法定代表人：张三" in text
    assert "2026年12月1日" in text  # east_asian_line_breaks: no stray spaces
    assert rows[0] == ["甲方", "乙方"]
    assert rows[1][1] == "名称（盖章）：广州示例培训有限公司"
    assert rows[2] == ["法定代表人或授权代表（签字）：______"] * 2
    assert rows[3] == ["日期：______"] * 2


def test_hostile_values_print_literally(zh_docx: bytes, en_docx: bytes) -> None:
    for data in (zh_docx, en_docx):
        paragraphs, rows = docx_text(data)
        first_party = next(t for _, t in paragraphs if "ACME" in t)
        assert HOSTILE in first_party
        assert rows[1][0].endswith(HOSTILE_SHORT)
        body = docx_part(data, "word/document.xml")
        # The OOXML in the value is text, not markup: escaped, and no extra run/link.
        assert "&lt;w:p&gt;&lt;w:r&gt;&lt;w:t&gt;pwned" in body
        assert "<w:hyperlink" not in body
        assert not re.search(r"<w:t[^>]*>pwned", body)


def test_en_document(en_docx: bytes) -> None:
    paragraphs, rows = docx_text(en_docx)
    assert paragraphs[0] == ("Title", "Training Services Agreement")
    assert ("Heading 1", "Article 1 Services") in paragraphs
    assert ("Heading 2", "1.1 Scope") in paragraphs
    assert "RMB 120,000.00 (one hundred and twenty thousand yuan)" in "\n".join(
        t for _, t in paragraphs
    )
    assert rows[3] == ["Date: ______"] * 2


def test_zh_styles_use_real_east_asian_fonts(zh_docx: bytes) -> None:
    styles = docx_part(zh_docx, "word/styles.xml")
    # Theme font attributes would override w:eastAsia: none may remain.
    assert not re.search(r"w:(asciiTheme|eastAsiaTheme|hAnsiTheme|cstheme)=", styles)
    defaults = re.search(r"<w:docDefaults>.*?</w:docDefaults>", styles, re.S)
    assert defaults and 'w:eastAsia="SimSun"' in defaults.group(0)
    heading1 = re.search(r'<w:style [^>]*w:styleId="Heading1".*?</w:style>', styles, re.S)
    assert heading1 and 'w:eastAsia="SimHei"' in heading1.group(0)
    title = re.search(r'<w:style [^>]*w:styleId="Title".*?</w:style>', styles, re.S)
    assert title and '<w:jc w:val="center"' in title.group(0)
    table = re.search(r'<w:style [^>]*w:styleId="Table".*?</w:style>', styles, re.S)
    assert table and re.search(r"<w:insideV [^>]*w:val=\"single\"", table.group(0))


def test_en_styles_use_times(en_docx: bytes) -> None:
    styles = docx_part(en_docx, "word/styles.xml")
    assert not re.search(r"w:(asciiTheme|eastAsiaTheme|hAnsiTheme|cstheme)=", styles)
    assert 'w:ascii="Times New Roman"' in styles


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_page_setup_a4_and_page_number_footer(lang: str) -> None:
    data = render_docx(fixture("zh.md" if lang == "zh-CN" else "en.md"), lang)
    body = docx_part(data, "word/document.xml")
    assert '<w:pgSz w:h="16838" w:w="11906"' in body  # A4 in twips
    footer = docx_part(data, "word/footer1.xml")
    assert "PAGE" in footer and "NUMPAGES" in footer
    assert ("第 " if lang == "zh-CN" else "Page ") in footer


def test_docx_is_byte_reproducible(zh_docx: bytes) -> None:
    again = render_docx(fixture("zh.md"), "zh-CN", "zh fixture")
    assert again == zh_docx
    with zipfile.ZipFile(io.BytesIO(zh_docx)) as z:
        assert len({i.date_time for i in z.infolist()}) == 1  # one fixed date for all
    core = docx_part(zh_docx, "docProps/core.xml")
    assert "2026-01-01T00:00:00Z" in core and "1970" not in core  # SOURCE_DATE_EPOCH


def test_reference_docx_is_committed_and_current() -> None:
    # scripts/make_reference_docx.py is deterministic: regenerating gives the same bytes.
    module = _script()
    default = module.pandoc_default_reference()
    for lang in ("zh", "en"):
        assert module.build(default, lang) == reference_docx(lang).read_bytes(), (
            f"reference-{lang}.docx is stale: run scripts/make_reference_docx.py"
        )


def test_html_is_standalone_and_escaped() -> None:
    html = render_html(fixture("zh.md"), "zh-CN").decode()
    assert '<html xmlns="http://www.w3.org/1999/xhtml" lang="zh-CN"' in html
    assert "&lt;w:p&gt;" in html and "<w:p>" not in html
    assert '<a href="http://e.vil"' not in html


def test_reference_styles_keep_schema_element_order() -> None:
    # Word refuses ("unreadable content") elements out of ECMA-376 sequence order.
    import xml.etree.ElementTree as ET

    module = _script()
    for lang in ("zh", "en"):
        with zipfile.ZipFile(reference_docx(lang)) as z:
            root = ET.fromstring(z.read("word/styles.xml"))
        for el in root.iter():
            order = module.ORDER.get(module.local(el.tag))
            if not order:
                continue
            names = [module.local(c.tag) for c in el if module.local(c.tag) in order]
            assert names == sorted(names, key=order.index), (lang, module.local(el.tag), names)


def test_pandoc_runs_under_a_memory_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    from clausekit.render import pandoc

    # The real cap, made small: a document that needs more is a one-line error.
    monkeypatch.setattr(pandoc, "MEMORY_CAP", ["+RTS", "-M64m", "-RTS"])
    with pytest.raises(pandoc.BuildError, match="Heap exhausted") as exc:
        pandoc.run_pandoc("word " * 3_000_000, "html", [], "big/doc")
    assert "\n" not in str(exc.value) and str(exc.value).startswith("big/doc: pandoc -t html")
    assert pandoc.run_pandoc("word", "html", [], "small/doc") == b"<p>word</p>\n"
