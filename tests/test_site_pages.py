"""`clausekit pages`: the site's pages as files, built by MkDocs without the plugin
(and by Zensical), the same pages as the plugin gives; an English library's site."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml

from conftest import cli, snapshot
from site_fixtures import REPO, copy_library, mkdocs_build

CJK = re.compile(r"[\u3400-\u9fff]")


def plain_config(root: Path, fragment: Path) -> Path:
    """mkdocs.yml without the clausekit plugin, with the nav fragment pasted in (the
    site's own guide pages kept after it)."""
    config = (root / "mkdocs.yml").read_text("utf-8")
    own_nav = yaml.safe_load(config[config.index("\nnav:\n") :])["nav"]
    guides = [
        item
        for item in own_nav
        if isinstance(item, dict) and isinstance(next(iter(item.values())), list)
    ]
    config = re.sub(r"  - clausekit:\n(      .*\n)*", "", config)
    config = config[: config.index("\nnav:\n")] + "\n"
    pasted = yaml.safe_load(fragment.read_text("utf-8"))
    pasted["nav"] += guides
    config += yaml.safe_dump(pasted, allow_unicode=True, sort_keys=False)
    out = root / "mkdocs-plain.yml"
    out.write_text(config, "utf-8")
    return out


def build_plain(
    config: Path, site: Path, engine: str = "mkdocs"
) -> subprocess.CompletedProcess[str]:
    exe = str(Path(sys.executable).parent / engine)
    args = [exe, "build", "-f", str(config)]
    args += ["--strict", "-d", str(site)] if engine == "mkdocs" else []
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(args, capture_output=True, text=True, env=env, check=False, timeout=600)


def broken_links(site: Path) -> list[str]:
    """Every relative href and src in the site's pages that names no built file."""
    broken = []
    for page in site.rglob("*.html"):
        text = page.read_text("utf-8")
        for target in re.findall(r'(?:href|src)="([^"#?]+)[^"]*"', text):
            if urlsplit(target).scheme or target.startswith(("/", "mailto:", "data:")):
                continue
            path = (page.parent / unquote(target)).resolve()
            if path.is_dir():
                path = path / "index.html"
            if not path.exists():
                broken.append(f"{page.relative_to(site)} -> {target}")
    return broken


@pytest.fixture(scope="module")
def pages_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    root = copy_library(tmp_path_factory.mktemp("pages") / "lib", downloads=False)
    result = cli("-C", root, "pages")
    assert result.code == 0, result.err
    built = build_plain(plain_config(root, root / "docs" / ".nav.yml"), root / "site")
    return root, root / "site", built.stdout + built.stderr


def test_pages_then_mkdocs_without_the_plugin(pages_site: tuple[Path, Path, str]) -> None:
    root, site, output = pages_site
    assert "WARNING" not in output and "Aborted" not in output, output
    lib_ids = {
        "clauses": [
            p.relative_to(root / "clauses").with_suffix("")
            for p in (root / "clauses").rglob("*.md")
        ],
        "templates": [
            p.relative_to(root / "templates").with_suffix("")
            for p in (root / "templates").glob("*.yaml")
        ],
        "agreements": [
            p.relative_to(root / "agreements").with_suffix("")
            for p in (root / "agreements").rglob("*.yaml")
        ],
    }
    for kind, ids in lib_ids.items():
        assert ids, kind
        for i in ids:
            assert (site / kind / i / "index.html").is_file(), (kind, i)
    for page in site.rglob("*.html"):
        assert "data-ck-block" not in page.read_text("utf-8"), page
    assert broken_links(site) == []
    # The blocks' links (where-used lists, agreement facts) are the pages' URLs.
    clause = (site / "clauses/common/confidentiality-zh/index.html").read_text("utf-8")
    assert 'href="../../../agreements/mutual-nda/2026-draft/"' in clause
    agreement = (site / "agreements/mutual-nda/2026-draft/index.html").read_text("utf-8")
    assert "ck-preview" in agreement and "保密" in agreement  # the preview is in the file


def test_pages_lists_what_it_wrote_and_keeps_hand_written_pages(
    pages_site: tuple[Path, Path, str],
) -> None:
    root, _, _ = pages_site
    docs = root / "docs"
    listing = (docs / ".gitignore").read_text("utf-8").splitlines()
    listed = {line[1:] for line in listing if line.startswith("/")}
    on_disk = {p.relative_to(docs).as_posix() for p in docs.rglob("*") if p.is_file()}
    hand_written = {
        p.relative_to(REPO / "docs").as_posix() for p in (REPO / "docs").rglob("*") if p.is_file()
    }
    assert on_disk == listed | hand_written and not listed & hand_written
    for name in hand_written:
        assert (docs / name).read_bytes() == (REPO / "docs" / name).read_bytes(), name


def test_pages_refuses_to_overwrite_a_hand_written_page(tmp_path: Path) -> None:
    root = copy_library(tmp_path / "lib", downloads=False)
    (root / "docs" / "tags.md").write_text("# Our own tags page\n", "utf-8")
    before = snapshot(root)
    result = cli("-C", root, "pages")
    assert result.code == 1
    assert (
        result.err.strip()
        == (
            "docs/tags.md:1:1: error[site-page]: a hand-written file is where a generated page "
            "goes; remove or rename it"
        )
        or "docs/tags.md:1:1: error[site-page]" in result.err
    ), result.err
    assert snapshot(root) == before  # nothing written


def test_a_second_run_removes_pages_no_longer_generated(tmp_path: Path) -> None:
    root = copy_library(tmp_path / "lib", downloads=False)
    first = cli("-C", root, "pages", "--prefix", "lib")
    assert first.code == 0, first.err
    page = root / "docs" / "lib" / "clauses" / "nda" / "purpose.md"
    assert page.is_file()
    # Drop the clause and the template using it (and its agreements).
    shutil.rmtree(root / "agreements" / "mutual-nda")
    (root / "templates" / "mutual-nda.yaml").unlink()
    for p in (root / "clauses" / "nda").glob("*.md"):
        p.unlink()
    again = cli("-C", root, "pages", "--prefix", "lib")
    assert again.code == 0, again.err
    assert "removed" in again.out
    assert not page.exists()
    assert "/clauses/nda/purpose.md" not in (root / "docs" / "lib" / ".gitignore").read_text()


def test_plugin_gives_the_same_pages(pages_site: tuple[Path, Path, str], tmp_path: Path) -> None:
    _, files_site, _ = pages_site
    root = copy_library(tmp_path / "lib", downloads=False)
    built = mkdocs_build(root, root / "site")
    assert built.code == 0, built.output
    generated = ("clauses", "templates", "agreements", "agreement-lists", "tags")

    def pages(site: Path) -> set[str]:
        return {
            p.relative_to(site).as_posix()
            for p in site.rglob("index.html")
            if p.relative_to(site).parts[0] in generated
        }

    assert pages(built.site) == pages(files_site)


@pytest.fixture(scope="module")
def zensical_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The pages of `clausekit pages --engine zensical` built by Zensical (pinned in
    requirements/test.txt)."""
    root = copy_library(tmp_path_factory.mktemp("zensical") / "lib", downloads=False)
    result = cli("-C", root, "pages", "--engine", "zensical")
    assert result.code == 0, result.err
    config = plain_config(root, root / "docs" / ".nav.yml")
    text = config.read_text("utf-8") + "site_dir: zsite\n"
    config.write_text(text, "utf-8")
    built = build_plain(config, root / "zsite", engine="zensical")
    assert built.returncode == 0, built.stdout + built.stderr
    return root / "zsite"


def test_pages_then_zensical(zensical_site: Path) -> None:
    for page, title in (
        ("clauses/common/confidentiality-zh", "保密条款"),
        ("templates/mutual-nda", "保密协议"),
        ("agreements/mutual-nda/2026-draft", "保密协议"),
    ):
        html = (zensical_site / page / "index.html").read_text("utf-8")
        assert "<h1" in html and title in html, page


def test_zensical_links_resolve(zensical_site: Path) -> None:
    assert broken_links(zensical_site) == []


def test_links_are_written_for_the_engine(tmp_path: Path) -> None:
    """MkDocs keeps an HTML block's href as written (relative to the page's URL);
    Zensical re-bases it from the page's source file. Each engine gets its own."""
    root = copy_library(tmp_path / "lib", downloads=False)
    hrefs = {}
    for engine in ("mkdocs", "zensical"):
        assert cli("-C", root, "pages", "--engine", engine, "--no-downloads").code == 0
        page = next((root / "docs").rglob("agreements/mutual-nda/2026-draft.md"))
        hrefs[engine] = re.search(r'href="([^"]*templates/mutual-nda/)"', page.read_text("utf-8"))
    assert hrefs["mkdocs"] and hrefs["zensical"]
    assert hrefs["mkdocs"].group(1) == "../" + hrefs["zensical"].group(1)


@pytest.fixture(scope="module")
def english_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("en") / "lib"
    assert cli("init", root, "--lang", "en").code == 0
    config = root / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("downloads: true", "downloads: false"))
    built = mkdocs_build(root, root / "site")
    assert built.code == 0, built.output
    return built.site


def test_an_english_library_site_has_no_chinese_label(english_site: Path) -> None:
    pages = list((english_site / "library").rglob("index.html"))
    assert len(pages) >= 5
    for page in pages:
        text = page.read_text("utf-8")
        assert not CJK.findall(text), (page, sorted(set(CJK.findall(text)))[:10])
        assert '<html lang="en"' in text


def test_the_home_page_lists_templates_with_their_summaries(english_site: Path) -> None:
    home = (english_site / "library" / "index.html").read_text("utf-8")
    templates = home.index('id="templates"')
    assert "Which template?" in home
    entry = home.index("Services Agreement", templates)
    assert home.index("An example template with one payment clause", entry) > entry
    assert "Use when:" in home and "You buy services for a fixed fee" in home
    assert home.index('id="figures"') > entry  # figures below the templates
    assert 'href="templates/service-agreement/"' in home


@pytest.mark.parametrize(
    ("counts", "english", "chinese"),
    [
        ((1, 1, 1), "1 clause, 1 template and 1 agreement.", "共有 1 个条款、1 个模板、1 份协议"),
        ((8, 2, 0), "8 clauses, 2 templates and 0 agreements.", "8 个条款、2 个模板、0 份协议"),
    ],
)
def test_the_home_page_counts_in_words(
    counts: tuple[int, int, int], english: str, chinese: str
) -> None:
    from clausekit.publish.site.words import Words

    assert Words(zh=False, en=True).holds(*counts).endswith(english)
    assert chinese in Words(zh=True, en=False).holds(*counts)
