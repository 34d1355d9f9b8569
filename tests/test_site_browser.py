"""The built site in headless Chromium (Debian's), served on 127.0.0.1.

Skipped only when /usr/bin/chromium is absent; `scripts/system-deps.sh`
installs it, so these run in CI.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from site_fixtures import REPO, copy_library, mkdocs_build

sys.path.insert(0, str(REPO / "scripts"))
from browser import chromium, served

pytestmark = pytest.mark.needs("chromium")
CLAUSE = "clauses/common/confidentiality-zh/"
AGREEMENT = "agreements/customer-service-training/2026-shenzhen-final/"


@pytest.fixture(scope="module")
def site_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_library(tmp_path_factory.mktemp("browser") / "lib", downloads=True)
    built = mkdocs_build(root, root / "site")
    assert built.code == 0, built.output
    assert "WARNING" not in built.output, built.output
    return built.site


@pytest.fixture(scope="module")
def base_url(site_dir: Path) -> Iterator[str]:
    with served(site_dir) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as b:
        yield b


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    pg = context.new_page()
    pg.set_default_timeout(20_000)
    try:
        yield pg
    finally:
        context.close()


def test_search_finds_the_confidentiality_clause(page: Any, base_url: str) -> None:
    # networkidle: the search index is loaded. Material searches on key events,
    # and Chinese text arrives as inserted text (as from an input method), with
    # no key event: a key press after it runs the search, as a user's Enter would.
    page.goto(base_url, wait_until="networkidle")
    query = page.locator("input[data-md-component='search-query']")
    query.click()  # on a wide screen the search box is in the header
    query.fill("保密")
    query.press("End")
    # Results arrive as the search worker finishes: wait for the one sought (a
    # timeout fails the test), then check it is a real result link.
    hit = page.locator(f".md-search-result__item a.md-search-result__link[href*='{CLAUSE}']")
    hit.first.wait_for(timeout=30_000)
    assert "保密" in hit.first.inner_text()


def test_clause_page_variables_and_where_used_links(page: Any, base_url: str) -> None:
    page.goto(base_url + CLAUSE)
    table = page.locator("h2#variables + div table, h2#variables ~ table").first
    assert "confidentiality.years" in table.inner_text()
    var = page.locator(".ck-clause .ck-var").first
    assert var.inner_text() == "[保密期限（年），自协议生效之日起计算]"
    assert var.get_attribute("title") == "confidentiality.years"
    links: list[str] = page.evaluate(
        """() => {
            const out = [];
            let el = document.getElementById('where-used').nextElementSibling;
            while (el && el.tagName !== 'H2') {
                el.querySelectorAll('a[href]').forEach(a => out.push(a.href));
                el = el.nextElementSibling;
            }
            return out;
        }"""
    )
    assert any("/templates/mutual-nda/" in u for u in links), links
    assert any("/agreements/customer-service-training/" in u for u in links), links
    for url in links:
        response = page.request.get(url)
        assert response.status == 200, url


def test_agreement_page_downloads_real_files(page: Any, base_url: str) -> None:
    page.goto(base_url + AGREEMENT)
    assert page.locator(".ck-preview h3").first.inner_text().startswith("一、")
    magic = {".docx": b"PK\x03\x04", ".pdf": b"%PDF"}
    for ext, head in magic.items():
        link = page.locator(f"a[href$='{ext}']").first
        url = link.evaluate("a => a.href")
        response = page.request.get(url)
        assert response.status == 200, url
        assert response.body().startswith(head), url
    with page.expect_download() as info:
        page.locator("a[href$='.docx']").first.click()
    path = info.value.path()
    assert Path(path).read_bytes()[:4] == b"PK\x03\x04"


def _generated_urls(site_dir: Path) -> list[str]:
    urls = []
    for index in sorted(site_dir.rglob("index.html")):
        rel = index.parent.relative_to(site_dir).as_posix()
        first = rel.split("/")[0]
        if rel == "." or first in ("clauses", "templates", "agreements", "tags"):
            urls.append("" if rel == "." else rel + "/")
    return urls


def test_no_console_errors_on_generated_pages(page: Any, base_url: str, site_dir: Path) -> None:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(f"{page.url}: {m.text}") if m.type == "error" else 0)
    page.on("pageerror", lambda e: errors.append(f"{page.url}: {e}"))
    urls = _generated_urls(site_dir)
    assert len(urls) > 40
    for url in urls:
        response = page.goto(base_url + url, wait_until="load")
        assert response is not None and response.status == 200, url
    assert errors == []


def test_clause_page_screenshot(page: Any, base_url: str) -> None:
    out = REPO / "test-output" / "clause-page.png"
    out.parent.mkdir(exist_ok=True)
    page.goto(base_url + "clauses/training/payment/")
    page.locator(".ck-var").first.hover()
    page.screenshot(path=str(out), full_page=True)
    assert out.stat().st_size > 10_000


# Chinese queries, and the page each should find first: the pages that hold all their
# words come first, and no result marks a word it holds as missing.
SEARCHES = [
    ("保密期限", "clauses/nda/term/", ("保密", "期限")),
    ("违约责任", "clauses/training/client-breach/", ("违约责任",)),  # one word
    ("付款方式", "clauses/training/payment/", ("付款", "方式")),
]


def _indexed(site_dir: Path) -> dict[str, str]:
    """Each search entry's title and text (a page's top, or one of its sections), as
    the search index holds them, without tags and zero-width spaces."""
    docs = json.loads((site_dir / "search" / "search_index.json").read_text("utf-8"))["docs"]
    return {
        d["location"]: re.sub(r"<[^>]+>", "", d["title"] + " " + d["text"]).replace("\u200b", "")
        for d in docs
    }


@pytest.mark.parametrize(("query", "first", "words"), SEARCHES)
def test_chinese_search_ranks_pages_with_both_words_first(
    page: Any, base_url: str, site_dir: Path, query: str, first: str, words: tuple[str, ...]
) -> None:
    page.goto(base_url, wait_until="networkidle")
    box = page.locator("input[data-md-component='search-query']")
    box.click()
    box.fill(query)
    box.press("End")
    items = page.locator(".md-search-result__item > a.md-search-result__link")
    items.first.wait_for(timeout=30_000)
    page.wait_for_timeout(500)  # the last query's results
    hrefs = [items.nth(i).get_attribute("href").split("?")[0] for i in range(min(5, items.count()))]
    assert hrefs[0].removeprefix(base_url) == first, hrefs
    indexed = _indexed(site_dir)
    entries = [h.removeprefix(base_url) for h in hrefs]
    holds = [all(w in indexed[e] for w in words) for e in entries]
    # Pages holding both words before any that lacks one.
    assert holds == sorted(holds, reverse=True), list(zip(hrefs, holds, strict=True))
    for i in range(min(5, items.count())):
        missing = items.nth(i).locator(".md-search-result__terms del, .md-search-result__terms s")
        for word in missing.all_inner_texts():
            assert word.strip("* ") not in indexed[entries[i]], (entries[i], word)


@pytest.mark.parametrize("width", [390, 1280])
def test_variables_tables_wrap_inside_the_content(browser: Any, base_url: str, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900})
    pg = context.new_page()
    try:
        for url in ("clauses/training/payment/", "templates/customer-service-training/"):
            pg.goto(base_url + url)
            widths = pg.evaluate(
                """() => [...document.querySelectorAll('table.ck-vars')].map(t => ({
                    table: t.getBoundingClientRect().right,
                    content: t.closest('.md-content__inner').getBoundingClientRect().right,
                    page: document.documentElement.scrollWidth,
                    broken: [...t.querySelectorAll('.ck-seg')]
                        .filter(s => s.getClientRects().length > 1).length,
                }))"""
            )
            assert widths, url
            for w in widths:
                assert w["table"] <= w["content"] + 1, (url, width, w)
                assert w["page"] <= width, (url, width, w)
                assert w["broken"] == 0, (url, width, w)  # no name broken inside a word
        out = REPO / "test-output" / f"clause-page-{width}.png"
        out.parent.mkdir(exist_ok=True)
        pg.goto(base_url + "clauses/training/payment/")
        pg.locator("#variables").scroll_into_view_if_needed()
        pg.screenshot(path=str(out), full_page=True)
        assert out.stat().st_size > 10_000
    finally:
        context.close()
