"""The docs cannot rot: every file a page shows is a working library.

Each page of docs/ with titled blocks (```yaml title="templates/consulting.yaml"```) is
replayed into a fresh `clausekit init --bare` library (scripts/docs_library.py): its
files written in order, its command blocks run and compared with what the commands
print. The library must then check clean and build; the DOCX must hold the assembled
text and the PDF (one page, to keep the suite fast) its amounts.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from conftest import REPO, cli
from render_fixtures.helpers import docx_text, pdf_text, squash

sys.path.insert(0, str(REPO / "scripts"))
from docs_library import replay, titled_blocks

DOCS = REPO / "docs"
PAGES = sorted(p.name for p in DOCS.glob("*.md") if titled_blocks(p))
WITH_PDF = "tutorial.md"
AMOUNT = re.compile(r"\d{1,3}(?:,\d{3})+\.\d\d")


@dataclass(frozen=True)
class Replayed:
    root: Path
    problems: list[str]  # command blocks whose output differs from the page


_replayed: dict[str, Replayed] = {}


def replayed(page: str, tmp_root: Path) -> Replayed:
    """The page's files in a fresh `init --bare` library, its commands run (once per process)."""
    if page not in _replayed:
        root = tmp_root / page.removesuffix(".md")
        lang = "zh-CN" if page.endswith(".zh-CN.md") else "en"
        made = cli("init", "--bare", "--lang", lang, root)
        assert made.code == 0, made.err
        _replayed[page] = Replayed(root, replay(titled_blocks(DOCS / page), root))
    return _replayed[page]


@pytest.fixture(scope="module")
def tmp_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("docs-libraries")


def test_the_tutorials_and_recipes_are_replayed() -> None:
    # A page that lost its titles would silently leave the test.
    assert {"tutorial.md", "tutorial.zh-CN.md", "recipes.md", "bilingual.md"} <= set(PAGES)


@pytest.mark.parametrize("page", PAGES)
def test_page_files_check_build_and_print_what_the_page_shows(page: str, tmp_root: Path) -> None:
    """One test a page, so that the suite's workers build each page's documents once."""
    library = replayed(page, tmp_root)
    assert not library.problems, "\n\n".join(library.problems)
    checked = cli("-C", library.root, "check")
    assert checked.code == 0 and checked.out.startswith("no problems found"), checked.out
    formats = "md,docx,pdf" if page == WITH_PDF else "md,docx"
    built = cli("-C", library.root, "build", "--to", formats)
    assert built.code == 0, built.err
    agreements = [md for md in (library.root / "dist").rglob("*.md") if "blank" not in md.parts]
    assert agreements, "the page builds no agreement"
    for md in agreements:
        _docx_holds_the_text(md)
        if page == WITH_PDF:
            _pdf_prints_the_amounts(md)


def _paragraphs(markdown: str) -> list[str]:
    """Plain paragraphs of assembled Markdown: no headings, tables, escapes or YAML.

    The fences of a bilingual layout (`::: {lang="en"}`) are left out too.
    """
    body = markdown.split("\n---\n", 1)[-1]
    found = []
    for chunk in re.split(r"\n\s*\n", body):
        lines = [line for line in chunk.split("\n") if not line.startswith((":::", "#"))]
        text = "\n".join(lines).strip()
        if not text or text.startswith("|") or "\\" in text:
            continue
        text = re.sub(r"^\s*(?:\d+\.|-)\s+", "", text, flags=re.M).replace("**", "")
        found.append(squash(text))
    return found


def _docx_holds_the_text(md: Path) -> None:
    paragraphs, rows = docx_text(md.with_suffix(".docx").read_bytes())
    docx = squash("".join(t for _, t in paragraphs) + "".join("".join(r) for r in rows))
    expected = _paragraphs(md.read_text("utf-8"))
    assert expected, md
    for paragraph in expected:
        assert paragraph in docx, (md.name, paragraph)


def _pdf_prints_the_amounts(md: Path) -> None:
    pdf = squash("".join(pdf_text(md.with_suffix(".pdf").read_bytes())))
    amounts = AMOUNT.findall(md.read_text("utf-8"))
    assert amounts, md
    for amount in amounts:
        assert amount in pdf, (md.name, amount)


def _assembled(page: str, agreement: str, tmp_root: Path) -> str:
    result = cli("-C", replayed(page, tmp_root).root, "assemble", agreement)
    assert result.code == 0, result.err
    return result.out


def test_recipes_values_are_the_sample_agreements(tmp_root: Path) -> None:
    """Each recipe's values excerpt holds what the sample agreement gives."""
    library = replayed("recipes.md", tmp_root)
    text = (DOCS / "recipes.md").read_text("utf-8")
    excerpts = re.findall(
        r"```yaml\n# (agreements/\S+) \(part of its variables\)\n(.*?)```", text, re.S
    )
    assert len(excerpts) >= 16
    for path, excerpt in excerpts:
        given = yaml.safe_load((library.root / path).read_text("utf-8"))["variables"]
        for name, value in yaml.safe_load(excerpt).items():
            assert given[name] == value, (path, name)


def test_recipes_computed_values_are_the_templates(tmp_path: Path) -> None:
    text = (DOCS / "recipes.md").read_text("utf-8")
    shown = re.findall(
        r"```yaml\n# templates/recipes-en.yaml and recipes-zh.yaml\n(.*?)```", text, re.S
    )
    assert len(shown) == 3
    templates = {
        b.title: yaml.safe_load(b.text)
        for b in titled_blocks(DOCS / "recipes.md")
        if b.title.startswith("templates/")
    }
    for excerpt in shown:
        for name, expression in yaml.safe_load(excerpt)["computed"].items():
            for lang in ("en", "zh"):
                assert templates[f"templates/recipes-{lang}.yaml"]["computed"][name] == expression


@pytest.mark.parametrize(
    ("agreement", "items"),
    [
        (
            "recipes/en",
            [
                "- “**Goods**” means the shelving described in the Schedule;",
                "- “**Delivery Date**” means the date on which the Goods are delivered to a store;",
            ],
        ),
        ("recipes/zh", ["- “货物”：指附件所列的货架；", "- “交付日”：指货物送达门店之日；"]),
    ],
)
def test_a_for_loop_prints_a_tight_list(agreement: str, items: list[str], tmp_root: Path) -> None:
    """`{% for %}` over a list prints one item a line, no blank line between them."""
    lines = _assembled("recipes.md", agreement, tmp_root).split("\n")
    first = lines.index(items[0])
    assert lines[first : first + len(items)] == items
    assert lines[first - 1] == "" and lines[first - 2] != "", "one blank line before the list"


def test_replay_reports_a_command_that_prints_something_else(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        "Text.\n\n"
        '  ```yaml title="notes/a.txt"\n  one\n  ```\n\n'
        '```text title="clausekit check"\nno problems found in 99 files checked\n```\n\n'
        '````markdown title="notes/b.md"\n```\ninner fence\n```\n````\n\n'
        "```yaml\nuntitled: not a file\n```\n",
        encoding="utf-8",
    )
    blocks = titled_blocks(page)
    assert [(b.title, b.line) for b in blocks] == [
        ("notes/a.txt", 3),
        ("clausekit check", 7),
        ("notes/b.md", 11),
    ]
    root = tmp_path / "lib"
    assert cli("init", "--bare", root).code == 0
    problems = replay(blocks, root)
    assert len(problems) == 1 and problems[0].startswith("page.md:7: `clausekit check`")
    assert (root / "notes/a.txt").read_text("utf-8") == "one\n"
    assert (root / "notes/b.md").read_text("utf-8") == "```\ninner fence\n```\n"


def test_replay_keeps_files_inside_the_library(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text('```yaml title="../outside.yaml"\nx: 1\n```\n', encoding="utf-8")
    (tmp_path / "lib").mkdir()
    with pytest.raises(ValueError, match="outside the library"):
        replay(titled_blocks(page), tmp_path / "lib")
    assert not (tmp_path / "outside.yaml").exists()
