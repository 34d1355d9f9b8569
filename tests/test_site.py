"""The clause-library site: generated pages, strict build, bad input, CLI reference."""

from __future__ import annotations

import html
import io
import json
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clausekit.assemble import assemble_blank, number_entries
from clausekit.check import Checked
from clausekit.cli import run
from clausekit.load import load_library
from clausekit.publish.site.markup import clause_html, commonmark, flatten, md_text
from site_fixtures import FIXTURES, REPO, Built, copy_library, mkdocs_build


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The example library's site, without downloads (the browser tests build those)."""
    root = copy_library(tmp_path_factory.mktemp("site") / "lib", downloads=False)
    # A hostile clause title (a pull request could hold one): it must stay text.
    clause = root / "clauses/common/confidentiality-zh.md"
    text = clause.read_text(encoding="utf-8")
    title = re.search(r"^title: (.*)$", text, re.M)
    assert title is not None
    clause.write_text(text.replace(title.group(0), f"title: '{title.group(1)}{HOSTILE}'"), "utf-8")
    built = mkdocs_build(root, root / "site")
    assert built.code == 0, built.output
    return built


HOSTILE = "X</title><script>alert(1)</script><title>"


def test_titles_are_plain_text_on_every_page(site: Built) -> None:
    pages = list(site.site.rglob("*.html"))
    assert not [p for p in pages if "<script>alert(1)" in p.read_text(encoding="utf-8")]
    page = _page(site, "clauses/common/confidentiality-zh")
    head = re.search(r"<title>(.*?)</title>", page, re.S)
    assert head is not None and "X&lt;/title&gt;&lt;script&gt;alert(1)" in head.group(1)


def _page(site: Built, url: str) -> str:
    return (site.site / url / "index.html").read_text(encoding="utf-8")


def test_strict_build_has_no_warnings(site: Built) -> None:
    assert "WARNING" not in site.output
    assert "ERROR" not in site.output


def test_every_html_block_is_filled_in(site: Built) -> None:
    for page in site.site.rglob("*.html"):
        assert "data-ck-block" not in page.read_text(encoding="utf-8"), page


def test_every_clause_template_and_agreement_has_a_page(site: Built) -> None:
    lib = load_library(REPO)
    for cid in lib.clauses:
        assert (site.site / "clauses" / cid / "index.html").is_file(), cid
    for tid in lib.templates:
        assert (site.site / "templates" / tid / "index.html").is_file(), tid
    for aid in lib.agreements:
        assert (site.site / "agreements" / aid / "index.html").is_file(), aid
    for index in ("", "clauses", "templates", "agreements", "tags"):
        assert (site.site / index / "index.html").is_file(), index


def test_generated_pages_are_not_committed() -> None:
    for name in ("index.md", "tags.md", "clauses", "templates", "agreements"):
        assert not (REPO / "docs" / name).exists(), name


def test_clause_page_shows_placeholders_variables_and_where_used(site: Built) -> None:
    page = _page(site, "clauses/common/confidentiality-zh")
    # The text shows what to fill in; the code name is on hover.
    assert (
        '<span class="ck-var" title="confidentiality.years">'
        "[保密期限（年），自协议生效之日起计算]</span>"
    ) in page
    text = page.split('id="text"')[1].split('class="ck-source"')[0]
    assert ">confidentiality.years<" not in text
    # The source view and the variables table keep the code name.
    source = page.split('class="ck-source"')[1].split("</details>")[0]
    assert "{{ confidentiality.years }}" in source
    assert '<span class="ck-seg">confidentiality</span>.<wbr><span class="ck-seg">years' in page
    assert 'id="where-used"' in page
    assert 'href="../../../templates/mutual-nda/"' in page
    assert 'href="../../../agreements/mutual-nda/2026-draft/"' in page
    assert "保密期限通常为 2 至 5 年" in page  # guidance


def test_computed_values_and_refs_are_placeholders(site: Built) -> None:
    page = _page(site, "clauses/training/payment")
    assert '<span class="ck-var" title="= (fee.total' in page  # computed: its expression
    assert ">prepay_amount</span>" in page
    assert '<span class="ck-ref" title="ref(&#x27;training/acceptance#acceptance&#x27;)">' in page
    assert 'id="ck-schedule"' in page  # the `{#schedule}` anchor, not printed
    assert "{#schedule}" not in page.split('class="ck-source"')[0]


def test_template_page_numbers_its_outline(site: Built) -> None:
    page = _page(site, "templates/customer-service-training")
    assert "五、" in page and "（一）" in page
    assert 'href="../../downloads/blank/customer-service-training.docx"' not in page  # off
    assert "预付款与进度款比例之和必须小于 100%" in page


def test_agreement_page_previews_the_assembled_text(site: Built) -> None:
    page = _page(site, "agreements/customer-service-training/2026-shenzhen-final")
    assert "2026 年度客服中心专项培训服务协议" in page
    assert "一、" in page
    assert "limin@pengcheng.example.com" in page  # no `\@` left by Markdown escaping
    assert "---" not in page.split('class="ck-preview"')[1].split("</div>")[0][:20]


def test_home_counts_and_recent_changes(site: Built) -> None:
    page = _page(site, "")
    lib = load_library(REPO)
    assert f"{len(lib.clauses)} 个条款" in page
    assert "approved" in page and "zh-CN" in page and "en" in page
    assert "最近修改" in page


def test_search_index_is_segmented_for_chinese(site: Built) -> None:
    index = json.loads((site.site / "search" / "search_index.json").read_text("utf-8"))
    assert index["config"]["lang"] == ["zh", "en"]
    assert "\\u200b" in index["config"]["separator"]  # the regex escape, for the browser
    texts = " ".join(d["text"] for d in index["docs"])
    assert "保密\u200b" in texts or "\u200b保密" in texts


def test_english_pages_speak_english(site: Built) -> None:
    page = _page(site, "clauses/en/confidentiality")
    assert "Where used" in page and 'lang="en"' in page


def test_broken_front_matter_fails_like_check_and_keeps_the_last_site(tmp_path: Path) -> None:
    root = copy_library(tmp_path / "lib", downloads=False)
    shutil.copy(FIXTURES / "broken-front-matter.md", root / "clauses/common/confidentiality-zh.md")
    out, err = io.StringIO(), io.StringIO()
    assert run(["-C", str(root), "check"], out, err) == 1
    lines = [line for line in out.getvalue().splitlines() if ": error[" in line]
    assert any(
        line.startswith("clauses/common/confidentiality-zh.md:6:5: error[yaml]") for line in lines
    )

    last_good = root / "site"
    last_good.mkdir()
    (last_good / "index.html").write_text("last good site", encoding="utf-8")
    built = mkdocs_build(root, last_good)
    assert built.code != 0
    for line in lines:
        assert line in built.output
    assert "Traceback" not in built.output
    assert (last_good / "index.html").read_text(encoding="utf-8") == "last good site"
    assert sorted(p.name for p in last_good.iterdir()) == ["index.html"]


# --- the CLI reference --------------------------------------------------------

_OPTION = re.compile(r"(?<![\w-])(--?[A-Za-z][\w-]*)")


def _help(argv: list[str]) -> str:
    out, err = io.StringIO(), io.StringIO()
    assert run([*argv, "--help"], out, err) == 0, err.getvalue()
    return out.getvalue()


def _commands(text: str) -> list[str]:
    match = re.search(r"\{([a-z,-]+)\}", text)
    return match.group(1).split(",") if match else []


def test_cli_reference_documents_every_option() -> None:
    docs = (REPO / "docs" / "cli.md").read_text(encoding="utf-8")
    todo: list[list[str]] = [[]]
    seen = 0
    while todo:
        argv = todo.pop()
        text = _help(argv)
        seen += 1
        if argv:
            assert f"## {argv[0]}" in docs, f"docs/cli.md has no section for {argv[0]}"
        options = text.split("options:", 1)[1] if "options:" in text else ""
        for option in _OPTION.findall(options):
            assert f"`{option}" in docs or f" {option}" in docs, (
                f"clausekit {' '.join(argv)} --help shows {option}, docs/cli.md does not"
            )
        todo += [[*argv, sub] for sub in _commands(text.split("\n\n", 1)[0] + text)]
        todo = [t for t in todo if len(t) <= 2]
    assert seen >= 6


# --- units ----------------------------------------------------------------------


def test_placeholders_escape_hostile_text() -> None:
    body = "<b>x</b> *{{ party.name }}* {{ ref('a/b') }} {## note ##}\n"
    rendered, found = clause_html(body, "zh-CN", {"party.name": 'A "quoted" <desc> & co'})
    assert "<b>" not in rendered and "&lt;b&gt;" in rendered
    assert ">[A &quot;quoted&quot; &lt;desc&gt; &amp; co]</span>" in rendered
    assert 'title="party.name"' in rendered
    assert "note" not in rendered
    assert [p.kind for p in found] == ["var", "ref"]


def test_md_text_is_literal_in_python_markdown() -> None:
    import markdown

    hostile = "*ACME* [x](http://e.vil) <b>| `tick` _u_ #1"
    rendered = markdown.markdown(md_text(hostile), extensions=["tables"])
    assert html.unescape(re.sub(r"</?p>", "", rendered)) == hostile


def test_commonmark_shifts_headings_and_applies_anchors() -> None:
    out = commonmark("# 标题 {#fee}\n\ntext\n")
    assert out.startswith('<h3 id="ck-fee">标题</h3>')


def test_flatten_nested_variables() -> None:
    rows = flatten(
        {
            "fee": {
                "type": "object",
                "properties": {
                    "total": {"type": "number", "format": "money", "exclusiveMinimum": 0},
                    "days": {"type": "integer", "default": 10, "minimum": 1},
                },
                "required": ["total"],
            }
        }
    )
    by = {r.path: r for r in rows}
    assert by["fee.total"].type == "number (money)" and by["fee.total"].constraints == "> 0"
    assert by["fee.total"].required and not by["fee.days"].required
    assert by["fee.days"].default == "10"


def test_site_outline_numbers_are_the_blank_forms() -> None:
    checked = Checked(load_library(REPO))
    for tid, template in checked.lib.templates.items():
        outline = {n.entry.clause: n.number for n in number_entries(template) if n.entry.clause}
        blank = assemble_blank(checked, tid).headings
        assert outline == {h.target: h.number for h in blank if h.target and "#" not in h.target}


@given(
    st.lists(st.sampled_from(["a", "b", "clauses", "x-1"]), min_size=1, max_size=4),
    st.lists(st.sampled_from(["a", "b", "clauses", "x-1"]), min_size=1, max_size=4),
    st.sampled_from([".md", "/", ""]),
)
def test_relative_links_are_posix_relpaths(here: list[str], there: list[str], end: str) -> None:
    # The site's own relative path (no look at the working folder) must be relpath's.
    import posixpath

    from clausekit.publish.site.common import rel

    from_uri, to_uri = "/".join(here) + ".md", "/".join(there) + end
    assert rel(from_uri, to_uri) == posixpath.relpath(to_uri, posixpath.dirname(from_uri) or ".")
