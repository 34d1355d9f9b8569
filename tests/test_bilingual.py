"""Bilingual agreements: paired clauses, parallel DOCX and PDF, translation drift.

The example library's bilingual training agreement is built with real Pandoc and
Typst and read back the way a reader would: the PDF's text, the DOCX's table
with python-docx.  A small library (tests/bad/_base with tests/bilingual_fixtures
over it) shows the checks and what adding a clause does to both texts.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import docx
import pytest

from clausekit.language.marks import HREF_CLOSE, HREF_OPEN
from clausekit.load import load_library
from clausekit.publish.site.bilingual import side_by_side, translation_links
from clausekit.publish.site.common import RawHtml
from conftest import REPO, TESTS, cli, make_library
from render_fixtures.helpers import pdf_text
from review_fixtures import Repo

FINAL = "customer-service-training-bilingual/2026-shenzhen-final"
ARTICLES = 11
ZH_ARTICLE = re.compile(r"^第[一二三四五六七八九十]+条 ", re.M)
EN_ARTICLE = re.compile(r"^Article \d+ ", re.M)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    result = cli("-C", REPO, "build", FINAL, "--to", "md,docx,pdf,html", "-o", out)
    assert result.code == 0, result.err
    return out / FINAL


def test_pdf_holds_both_languages_with_the_same_articles(built: Path) -> None:
    text = "\n".join(pdf_text(built.with_suffix(".pdf").read_bytes()))
    zh = ZH_ARTICLE.findall(text)
    en = EN_ARTICLE.findall(text)
    assert len(zh) == len(en) == ARTICLES, (zh, en)
    assert "第十一条 " in text and "Article 11 Language" in text
    assert "以中文文本为准" in text.replace("\n", "")
    assert "the Chinese text prevails" in " ".join(text.split())
    # Side by side: article 1 in Chinese comes before article 2 in English, and
    # article 1 in English before article 2 in Chinese.
    assert text.index("第一条") < text.index("Article 2 ") and text.index(
        "Article 1 "
    ) < text.index("第二条")


def test_docx_has_one_two_column_row_per_article(built: Path) -> None:
    document = docx.Document(str(built.with_suffix(".docx")))
    assert len(document.tables) == 1
    table = document.tables[0]
    rows = table.rows
    assert [c.text for c in rows[0].cells] == ["中文", "English"]
    # header, preamble, the articles, signature
    assert len(rows) == 1 + 1 + ARTICLES + 1
    # Each article's title opens its cells; the numbers are Word's, each language's
    # from its own list (tests/test_docx_parallel_native.py).
    md = built.with_suffix(".md").read_text("utf-8")
    zh_titles = re.findall(r"^# 第[一二三四五六七八九十]+条 (.*)$", md, re.M)
    en_titles = re.findall(r"^# Article \d+ (.*)$", md, re.M)
    assert len(zh_titles) == len(en_titles) == ARTICLES
    for row, zh_title, en_title in zip(rows[2:-1], zh_titles, en_titles, strict=True):
        zh, en = (c.paragraphs[0] for c in row.cells)
        assert len(row.cells) == 2
        assert (zh.text, en.text) == (zh_title, en_title)
        assert zh.style is not None and en.style is not None
        # The second text's heading style is a Heading 1 that counts in its own list.
        assert (zh.style.name, en.style.name) == ("Heading 1", "Heading 1 (second text)")
        assert en.style.base_style is not None and en.style.base_style.name == "Heading 1"
    assert "甲方（委托方）" in rows[1].cells[0].text and "Party A" in rows[1].cells[1].text


def test_docx_table_repeats_its_header_breaks_rows_and_has_no_borders(built: Path) -> None:
    with zipfile.ZipFile(built.with_suffix(".docx")) as z:
        xml = z.read("word/document.xml").decode()
    outer = xml[xml.index("<w:tbl>") :]
    first_row = outer[outer.index("<w:tr>") : outer.index("</w:tr>")]
    assert '<w:tblHeader w:val="on" />' in first_row
    # The parallel table's rows may break across pages; only the signature tables
    # inside its last row hold their rows together (tests/test_print.py).
    own_rows = re.sub(r"<w:tbl>(?:(?!<w:tbl>).)*?</w:tbl>", "", outer[len("<w:tbl>") :], flags=re.S)
    assert "cantSplit" not in own_rows and xml.count("<w:cantSplit/>") > 0
    props = outer[: outer.index("</w:tblPr>")]
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        assert f'<w:{side} w:val="nil" />' in props


def test_html_sets_each_cell_in_its_language(built: Path) -> None:
    html = built.with_suffix(".html").read_text("utf-8")
    assert html.count('<div lang="zh-CN">') == html.count('<div lang="en">') == ARTICLES + 2


def test_markdown_marks_each_article_as_a_row(built: Path) -> None:
    md = built.with_suffix(".md").read_text("utf-8")
    assert md.count(":::: {.ck-row .ck-article}") == ARTICLES


# -- a small library -----------------------------------------------------------------


@pytest.fixture
def lib(tmp_path: Path) -> Path:
    return make_library(tmp_path / "lib", TESTS / "bilingual_fixtures")


def _bump(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8").replace(f"version: {old}\n", f"version: {new}\n", 1)
    text = text.replace(
        "changelog:\n", f"changelog:\n  - {{version: {new}, date: 2026-12-02, note: 修改}}\n"
    )
    path.write_text(text, "utf-8")


def test_drift_points_at_translates_and_clears_when_brought_up_to_date(lib: Path) -> None:
    assert cli("-C", lib, "check").code == 0
    _bump(lib / "clauses/base/fee.md", "1.0.0", "1.1.0")
    result = cli("-C", lib, "check")
    assert result.code == 1
    line = result.out.splitlines()[0]
    assert line.startswith("clauses/en/fee.md:6:1: error[translation-outdated]: ")
    assert "clauses/base/fee.md is at 1.1.0" in line
    text = (lib / "clauses/en/fee.md").read_text("utf-8").splitlines()
    assert text[5].startswith("translates:")  # line 6, column 1: the `translates` key
    en = lib / "clauses/en/fee.md"
    en.write_text(en.read_text("utf-8").replace("version: 1.0.0}", "version: 1.1.0}"), "utf-8")
    result = cli("-C", lib, "check")
    assert result.code == 0, result.out


def test_build_refuses_a_bilingual_template_with_a_missing_translation(
    lib: Path, tmp_path: Path
) -> None:
    (lib / "clauses/en/term.md").unlink()
    result = cli("-C", lib, "build", "bi/ok", "--to", "md", "-o", tmp_path / "out")
    assert result.code == 1
    assert "error[missing-translation]" in result.err
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").rglob("*.md"))


NEW_ZH = """---
title: 保密
version: 1.0.0
lang: zh-CN
changelog:
  - {version: 1.0.0, date: 2026-11-20, note: 首次发布}
---
双方对本协议内容保密；费用见{{ ref('base/fee') }}，预付款见{{ ref('base/fee#prepay') }}。
"""
NEW_EN = """---
title: Confidentiality
version: 1.0.0
lang: en
translates: {clause: base/secret, version: 1.0.0}
changelog:
  - {version: 1.0.0, date: 2026-11-20, note: First release}
---
The Parties keep this Agreement confidential; for the fee see {{ ref('en/fee') }},
for the advance {{ ref('en/fee#prepay') }}.
"""


def test_numbers_and_refs_follow_an_added_clause_in_both_languages(lib: Path) -> None:
    (lib / "clauses/base/secret.md").write_text(NEW_ZH, "utf-8")
    template = lib / "templates/bi.yaml"
    template.write_text(
        template.read_text("utf-8").replace("  - base/fee\n", "  - base/secret\n  - base/fee\n"),
        "utf-8",
    )
    result = cli("-C", lib, "check")
    assert result.code == 1 and "error[missing-translation]" in result.out
    (lib / "clauses/en/secret.md").write_text(NEW_EN, "utf-8")
    result = cli("-C", lib, "assemble", "bi/ok")
    assert result.code == 0, result.err
    md = result.out
    assert "# 第一条 保密" in md and "# Article 1 Confidentiality" in md
    assert "# 第二条 费用" in md and "# Article 2 Fee" in md
    assert "费用见第二条，预付款见第二条第（一）款。" in md
    assert "for the fee see Article 2,\nfor the advance Section 2.1." in md
    # the term clause's refs moved too, in each language's style
    assert "预付款见第二条第（一）款" in md and "for the advance see Section 2.1." in md
    assert "# 第三条 期限" in md and "# Article 3 Term" in md


def test_sequential_sets_one_text_after_the_other(lib: Path, tmp_path: Path) -> None:
    template = lib / "templates/bi.yaml"
    template.write_text(
        template.read_text("utf-8").replace("layout: parallel", "layout: sequential"), "utf-8"
    )
    out = tmp_path / "out"
    result = cli("-C", lib, "build", "bi/ok", "--to", "md,docx,pdf", "-o", out)
    assert result.code == 0, result.err
    pages = pdf_text((out / "bi/ok.pdf").read_bytes())
    assert "第一条" in pages[0] and "Article 1" not in pages[0]
    english = "\n".join(pages[1:])
    assert "Test Agreement" in english and "Article 2 Term" in english
    document = docx.Document(str(out / "bi/ok.docx"))
    titles = [
        p.text for p in document.paragraphs if p.style is not None and p.style.name == "Title"
    ]
    assert titles == ["测试协议", "Test Agreement"]
    text = [p.text for p in document.paragraphs]  # the titles; Word numbers them
    assert text.index("期限") < text.index("Fee")


def test_missing_font_is_still_exit_3(lib: Path, tmp_path: Path) -> None:
    (lib / "no-fonts").mkdir()  # inside the library: clausekit.yml may not leave it
    (lib / "clausekit.yml").write_text('fonts:\n  paths: "no-fonts"\n', "utf-8")
    result = cli("-C", lib, "build", "bi/ok", "--to", "pdf", "-o", tmp_path / "out")
    assert result.code == 3, result.err
    assert "not found" in result.err and "apt-get install" in result.err


def test_example_blank_form_builds(tmp_path: Path) -> None:
    tid = "customer-service-training-bilingual"
    result = cli("-C", REPO, "build", "--blank", tid, "--to", "docx,pdf", "-o", tmp_path)
    assert result.code == 0, result.err
    document = docx.Document(str(tmp_path / "blank" / f"{tid}.docx"))
    assert len(document.tables[0].rows) == 1 + 1 + ARTICLES + 1


def test_diff_lists_the_translations_a_change_leaves_behind(lib: Path, tmp_path: Path) -> None:
    repo = Repo.create(tmp_path / "repo", lib)
    repo.edit("clauses/base/fee.md", "费用总额为", "服务费用总额为")
    _bump(repo.root / "clauses/base/fee.md", "1.0.0", "1.0.1")
    repo.commit("fee wording")
    report = cli("-C", repo.root, "diff", "--base", "HEAD~1")
    assert report.code == 0, report.err
    section = report.out[report.out.index("### Translations left behind") :]
    assert "| `en/fee` | en | `base/fee` | 1.0.0 | 1.0.1 |" in section
    assert "en/term" not in section and "en/parties" not in section


def test_site_shows_each_clause_beside_its_translation() -> None:
    lib = load_library(REPO)
    template = lib.templates["customer-service-training-bilingual"]
    parts = side_by_side(lib, template)
    block = parts[1]
    assert isinstance(block, RawHtml)
    rows = block.html.split('<tr><td lang="zh-CN">')[1:]  # the rows (a body may hold a table)
    # 2 preamble clauses, 14 in the body (two group headings hold 2 and 3), the signature
    assert len(rows) == len(list(template.outline.clause_entries())) == 2 + 14 + 1
    payment = next(r for r in rows if "培训服务费用及支付方式" in r)
    zh, en = payment.split('<td lang="en">')
    assert "Fees and Payment" in en and "预付款" not in en and "Fees" not in zh
    assert side_by_side(lib, lib.templates["customer-service-training"]) == []
    en_page = translation_links(lib, lib.clauses["en/payment"], "clauses/en/payment.md")
    # HTML with a marked link target, which the plugin resolves to the page's URL.
    source = f'<a href="{HREF_OPEN}../training/payment.md{HREF_CLOSE}">培训服务费用及支付方式</a>'
    assert en_page == f"<p><strong>原文 · Source</strong> {source} (1.0.0)</p>"
    zh_page = translation_links(lib, lib.clauses["training/payment"], "clauses/training/payment.md")
    english = f'<a href="{HREF_OPEN}../en/payment.md{HREF_CLOSE}">Fees and Payment</a>'
    assert zh_page == f"<p><strong>译文 · Translations</strong> {english} (en)</p>"
