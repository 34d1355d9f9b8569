"""What a large library's site does once instead of once per page, checked against
doing it for every page: agreement pages converted from one skeleton per folder
(`publish.site.pages`), the theme's navigation rendered once per folder of agreement
pages (`publish.site.navcache`), and the where-used lists kept out of search."""

from __future__ import annotations

import json
import logging
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from clausekit.publish.site.common import GeneratedPage
from clausekit.publish.site.markup import md_text
from clausekit.publish.site.pages import MARK, Skeletons, TitledPage
from clausekit.publish.site.source import SiteOptions, checked_library, site_content
from site_fixtures import REPO, Built, copy_library, mkdocs_build

NAV_MAX = "      nav_max_pages: 5\n"  # pages off the nav, as in a large library
# The generated pages' folders (the hand-written docs differ: `nl2br` below).
GENERATED = {"agreements", "agreement-lists", "clauses", "templates", "new", "tags", "negotiated"}


def _config(tmp: Path, extensions: list[Any]) -> MkDocsConfig:
    path = tmp / "mkdocs.yml"
    body = {"site_name": "t", "docs_dir": "docs", "markdown_extensions": extensions}
    (tmp / "docs").mkdir(exist_ok=True)
    path.write_text(yaml.safe_dump(body, allow_unicode=True), "utf-8")
    return load_config(str(path))


def _extensions() -> list[Any]:
    return list(yaml.safe_load((REPO / "mkdocs.yml").read_text("utf-8"))["markdown_extensions"])


@pytest.fixture(scope="module")
def agreement(tmp_path_factory: pytest.TempPathFactory) -> GeneratedPage:
    """A real agreement page of the example library (key dates, preview)."""
    root = copy_library(tmp_path_factory.mktemp("lib"), downloads=False)
    checked, previews = checked_library(root)
    content = site_content(checked, previews, SiteOptions(formats=(), history=False), "")
    pages = [p for p in content.pages if p.one_of_many and "key-dates" in p.content]
    assert pages
    return pages[0]


@pytest.fixture(scope="module")
def config(tmp_path_factory: pytest.TempPathFactory) -> MkDocsConfig:
    return _config(tmp_path_factory.mktemp("cfg"), _extensions())


def _file(config: MkDocsConfig, uri: str, text: str) -> File:
    file = File(uri, src_dir=None, dest_dir=config.site_dir, use_directory_urls=True)
    file.content_string = text
    return file


def _toc(items: Any) -> list[Any]:
    return [(i.title, i.id, i.level, _toc(i.children)) for i in items]


def _rendered(page: Page, config: MkDocsConfig, files: Files) -> tuple[Any, ...]:
    page.read_source(config)
    page.render(config, files)
    links = {("self" if f is page.file else f.src_uri): a for f, a in page.links_to_anchors.items()}
    return page.content, page.title, _toc(page.toc), page.present_anchor_ids, links, page.meta


SKELETONS: dict[str, Skeletons] = {}  # one per test run: pages after the first share it


@settings(max_examples=60, deadline=None)
@given(title=st.text(min_size=1, max_size=40))
@example(title='A & B <i>x</i> "q" *em* `c` [l](u) {#x} 合同')
@example(title="保密协议")  # no ASCII: `toc` numbers the id (`_1`)
@example(title="Preview")  # the slug of a fixed id: `toc` renumbers, full conversion
@example(title="  spaced   out  title ")
@example(title="合同\u3000甲方")
@example(title="tab\there")
@example(title=MARK)
@example(title="ends with #")
@example(title="line\nbreak")
def test_agreement_page_from_its_skeleton_is_the_full_conversion(
    agreement: GeneratedPage, config: MkDocsConfig, title: str
) -> None:
    if not title.strip():
        return  # a title is never blank (`check`)
    text = agreement.content.replace(f"# {md_text(agreement.title)}\n", f"# {md_text(title)}\n")
    assert text != agreement.content
    skeletons = SKELETONS.setdefault("s", Skeletons.of(config))
    assert skeletons.slugify is not None
    fast, full = _file(config, agreement.uri, text), _file(config, agreement.uri, text)
    files = Files([fast])
    logging.getLogger("mkdocs").setLevel(logging.INFO)  # mkdocs records links to anchors
    got = _rendered(TitledPage(fast, config, title, skeletons), config, files)
    want = _rendered(Page(None, full, config), config, Files([full]))
    assert got == want
    assert MARK not in got[0] or MARK in title


def test_extensions_that_may_rewrite_a_title_turn_the_shortcut_off(tmp_path: Path) -> None:
    assert Skeletons.of(_config(tmp_path, [*_extensions(), "smarty"])).slugify is None
    assert Skeletons.of(_config(tmp_path, _extensions())).slugify is not None


HOSTILE = 'A & B <i>x</i> "q" *em* [l](u) 合同'


def _library(root: Path, shortcuts: bool) -> Path:
    copy_library(root, downloads=False)
    config = (root / "mkdocs.yml").read_text("utf-8")
    config = config.replace("      downloads: false\n", "      downloads: false\n" + NAV_MAX)
    if not shortcuts:
        # Neither shortcut applies: an extension outside the list the skeleton trusts,
        # and the theme's partial overridden (by a copy of itself).
        config = config.replace("  - tables\n", "  - tables\n  - nl2br\n")
        config = config.replace("  name: material\n", "  name: material\n  custom_dir: theme\n")
        partial = Path(__import__("material").__file__).parent / "templates/partials/nav.html"
        (root / "theme" / "partials").mkdir(parents=True)
        shutil.copy(partial, root / "theme" / "partials" / "nav.html")
    (root / "mkdocs.yml").write_text(config, "utf-8")
    first = sorted((root / "agreements").rglob("*.yaml"))[0]
    lines = first.read_text("utf-8").splitlines()
    lines = [f"title: {json.dumps(HOSTILE, ensure_ascii=False)}"] + [
        line for line in lines if not line.startswith("title:")
    ]
    first.write_text("\n".join(lines) + "\n", "utf-8")
    return root


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Built, Any]:
    """The example library built with the shortcuts (in this process, to look at the
    plugin afterwards) and without them (as `mkdocs build --strict` would)."""
    tmp = tmp_path_factory.mktemp("shared")
    fast = _library(tmp / "fast", shortcuts=True)
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    config = load_config(str(fast / "mkdocs.yml"), strict=True, site_dir=str(tmp / "fast-site"))
    build(config)
    plugin = config.plugins["clausekit"]
    full = mkdocs_build(_library(tmp / "full", shortcuts=False), tmp / "full-site")
    assert full.code == 0, full.output
    return tmp / "fast-site", full, plugin


def test_agreement_pages_are_the_same_with_and_without_the_shortcuts(
    sites: tuple[Path, Built, Any],
) -> None:
    fast, full, plugin = sites
    # Both shortcuts were taken: skeletons made, navigations kept and reused.
    assert any(s is not None for s in plugin.skeletons.found.values())
    assert plugin.navcache.kept
    pages = sorted(p.relative_to(full.site) for p in full.site.rglob("*.html"))
    generated = [p for p in pages if p.parts[0] in GENERATED]
    assert len([p for p in generated if p.parts[0] == "agreements"]) >= 8
    for page in generated:
        assert (fast / page).read_text("utf-8") == (full.site / page).read_text("utf-8"), page
    hostile = [p for p in generated if "A &amp; B &lt;i&gt;" in (fast / p).read_text("utf-8")]
    assert hostile  # the title went in, escaped


def test_where_used_lists_stay_out_of_search_and_lists_are_in_it(
    sites: tuple[Path, Built, Any],
) -> None:
    fast, _, _ = sites
    docs = json.loads((fast / "search" / "search_index.json").read_text("utf-8"))["docs"]
    title = "智能客服系统合作保密协议"  # an agreement of the example library

    def holding(prefix: str) -> list[str]:
        return [
            d["location"]
            for d in docs
            if d["location"].startswith(prefix) and title in d["text"].replace("\u200b", "")
        ]

    assert not holding("clauses/")
    assert holding("agreement-lists/")
    clause = (fast / "clauses" / "common" / "confidentiality-zh" / "index.html").read_text()
    assert "<ul data-search-exclude>" in clause and title in clause  # shown, not indexed
