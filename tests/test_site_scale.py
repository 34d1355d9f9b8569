"""The plugin beside hand-written pages (prefix, the team's own index and nav), the compact
nav, `agreement_pages` and the paginated agreement lists: real `mkdocs build --strict`."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from site_fixtures import Built, copy_library, mkdocs_build

CONFIG = """\
site_name: Team site
docs_dir: docs
strict: true
theme:
  name: material
  features: [navigation.indexes, navigation.sections]
plugins:
  - search
  - clausekit:
      downloads: false
      history: false
{options}
{nav}
"""


def site(tmp_path: Path, options: str, nav: str, home: bool = True) -> Built:
    root = copy_library(tmp_path / "lib", downloads=False)
    shutil.rmtree(root / "docs")
    (root / "docs").mkdir()
    if home:
        (root / "docs" / "index.md").write_text("# Our team\n\nHAND-WRITTEN HOME\n", "utf-8")
    (root / "docs" / "guide.md").write_text("# Guide\n\nHow we work.\n", "utf-8")
    (root / "mkdocs.yml").write_text(CONFIG.format(options=options, nav=nav), "utf-8")
    built = mkdocs_build(root, tmp_path / "site")
    assert built.code == 0, built.output
    return built


def nav_links(html: str) -> set[str]:
    """The hrefs of the primary navigation of a page."""
    nav = html[html.index('<nav class="md-nav md-nav--primary"') :]
    nav = nav[: nav.index('<div class="md-content"')]  # sections nest <nav> elements
    return {h for h in re.findall(r'href="([^"]+)"', nav) if not h.startswith("#")}


def test_beside_hand_written_pages_with_a_nav(tmp_path: Path) -> None:
    built = site(
        tmp_path,
        "      agreement_pages: final\n      agreements_per_page: 1",
        "nav:\n  - Home: index.md\n  - Guide: guide.md",
    )
    out = built.site
    home = (out / "index.html").read_text("utf-8")
    assert "HAND-WRITTEN HOME" in home  # kept, not replaced by the generated home
    library = (out / "library" / "index.html").read_text("utf-8")
    assert "The library holds" in library
    links = nav_links(home)
    assert "guide/" in links  # the team's nav is kept ...
    assert "library/" in links and "library/clauses/" in links  # ... and gets the library
    assert "条款库 · Library" in home
    # agreement_pages: final — drafts have no page, and lists name them without a link.
    agreements = out / "library" / "agreements" / "mutual-nda"
    assert (agreements / "2026-shenzhen-hangzhou-final" / "index.html").is_file()
    assert not (agreements / "2026-draft").exists()
    # The preview is the assembled agreement (values filled in, numbered).
    final = (agreements / "2026-shenzhen-hangzhou-final" / "index.html").read_text("utf-8")
    assert "ck-preview" in final and "一、合作目的与使用限制" in final
    assert "杭州示例云服务有限公司" in final
    # Two agreements, one per page: two list pages linked to each other.
    lists = out / "library" / "agreement-lists" / "mutual-nda"
    first = (lists / "index.html").read_text("utf-8")
    second = (lists / "2" / "index.html").read_text("utf-8")
    assert 'href="2/"' in first and "2 →" in first
    assert 'href="../"' in second and "← 1" in second
    assert "2026-draft" in first + second and "2026-shenzhen-hangzhou-final" in first + second
    assert "(1/2)" in first and "(2/2)" in second
    # A clause's where-used list links agreements with a page, and names the others.
    clause = out / "library" / "clauses" / "common" / "confidentiality-zh" / "index.html"
    used = clause.read_text("utf-8").split('id="where-used"')[1].split('id="changelog"')[0]
    assert 'href="../../../agreements/mutual-nda/2026-shenzhen-hangzhou-final/"' in used
    assert "<code>mutual-nda/2026-draft</code>" in used


def test_compact_nav_without_a_nav(tmp_path: Path) -> None:
    built = site(tmp_path, "      nav_max_pages: 5", "", home=False)
    assert "The library holds" in (built.site / "index.html").read_text("utf-8")
    page = (built.site / "clauses" / "index.html").read_text("utf-8")
    links = nav_links(page)
    # Sections with their index pages, not one entry per page.
    assert {"../templates/", "../agreements/", "../tags/"} <= links
    assert not any("/nda/" in link or "2026" in link for link in links), links
    # Every page is still built, reachable from the index pages.
    assert (built.site / "agreements" / "mutual-nda" / "2026-draft" / "index.html").is_file()


@pytest.mark.parametrize("pages", ["none"])
def test_no_agreement_pages(tmp_path: Path, pages: str) -> None:
    built = site(tmp_path, f"      agreement_pages: {pages}", "")
    assert (built.site / "library" / "agreements" / "index.html").is_file()
    assert not (built.site / "library" / "agreements" / "mutual-nda").exists()
    template = built.site / "library" / "templates" / "mutual-nda" / "index.html"
    assert "agreement-lists/mutual-nda/" in template.read_text("utf-8")
