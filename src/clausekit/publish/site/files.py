"""`clausekit pages`: the generated pages as Markdown files under docs/<prefix>/.

Any engine that reads Markdown builds them (MkDocs with or without the plugin,
Zensical, which runs no MkDocs plugin).  The blocks of HTML that the plugin puts
in after rendering go into the files here, their links made the URLs the page
will have; the agreements' previews too.  Files written are listed in a
`.gitignore` beside them, which is also how a later run knows which files are
its own: a hand-written page is never overwritten or removed.
"""

from __future__ import annotations

import posixpath
import shutil
from dataclasses import dataclass
from pathlib import Path

import yaml

from clausekit.errors import Problem, ProblemsFound
from clausekit.publish.site.common import GeneratedPage
from clausekit.publish.site.generate import (
    STYLESHEET,
    STYLESHEET_URI,
    SiteContent,
    nav_fragment,
)
from clausekit.publish.site.previews import preview_body

LISTING = ".gitignore"
NAV_FILE = ".nav.yml"
HEADER = "# Written by `clausekit pages`: generated from the library, not edited by hand.\n"


@dataclass(frozen=True)
class Written:
    folder: Path  # docs/<prefix>
    files: tuple[str, ...]  # relative to `folder`, sorted
    removed: tuple[str, ...]  # files of an earlier run no longer generated
    nav: str  # the nav fragment (also in NAV_FILE)


def generated_before(folder: Path) -> frozenset[str]:
    """The files an earlier run wrote in `folder` (from its `.gitignore`)."""
    listing = folder / LISTING
    if not listing.is_file():
        return frozenset()
    text = listing.read_text("utf-8")
    if not text.startswith(HEADER):  # the team's own .gitignore: nothing is ours
        return frozenset()
    return frozenset(line[1:] for line in text.splitlines() if line.startswith("/"))


def page_url(uri: str, directory_urls: bool = True) -> str:
    """The URL (relative to the site's root) that MkDocs and Zensical give a docs file."""
    if not uri.endswith(".md"):
        return uri
    stem = uri[: -len(".md")]
    if stem == "index" or stem.endswith("/index"):
        return stem[: -len("index")]
    return f"{stem}/" if directory_urls else f"{stem}.html"


def url_between(
    from_uri: str, to_uri: str, directory_urls: bool = True, from_source: bool = False
) -> str:
    """A relative href from page `from_uri` to the docs file `to_uri` (with `#anchor`).

    MkDocs leaves an href in an HTML block as written, so it is relative to the page's
    URL.  Zensical reads every relative href as relative to the page's source file and
    re-bases it onto the URL itself (`from_source`): written from the URL, a link of
    `a/b.md` (URL `a/b/`) would gain one `../` too many."""
    path, hash_, anchor = to_uri.partition("#")
    here = posixpath.dirname(from_uri) + "/" if from_source else page_url(from_uri, directory_urls)
    base = here if here.endswith("/") or not here else posixpath.dirname(here) + "/"
    there = page_url(path, directory_urls)
    href = posixpath.relpath(there or ".", base.rstrip("/") or ".")
    if there.endswith("/") or not there:
        href = "./" if href == "." else href + "/"
    return href + hash_ + anchor


def standalone(
    page: GeneratedPage, known: frozenset[str], directory_urls: bool, from_source: bool = False
) -> str:
    """A page's Markdown with its blocks (and preview) in place."""
    folder = posixpath.dirname(page.uri)

    def url(target: str) -> str:
        path, hash_, anchor = target.partition("#")
        full = posixpath.normpath(posixpath.join(folder, path))
        if full not in known:
            raise ProblemsFound(
                [Problem(page.uri, 1, 1, "site-link", f"links to a missing page {path}")]
            )
        return url_between(page.uri, full + hash_ + anchor, directory_urls, from_source)

    text = page.fill(page.content, url)
    text = page.fill(text, url, searchable=False)
    if page.preview is not None:
        from clausekit.publish.site.common import PREVIEW_MARK

        text = text.replace(PREVIEW_MARK, preview_body(page.preview), 1)
    return text


def planned(
    content: SiteContent,
    docs: Path,
    download_dir: Path | None,
    directory_urls: bool,
    from_source: bool = False,
) -> dict[str, bytes | Path]:
    """Every file to write, by path below docs/: text, or a file to copy."""
    hand_written = {
        p.relative_to(docs).as_posix() for p in docs.rglob("*") if p.is_file()
    }  # links to a team's own pages are fine too
    known = frozenset(
        {p.uri for p in content.pages} | set(content.downloads) | set(content.files) | hand_written
    )
    out: dict[str, bytes | Path] = {
        p.uri: standalone(p, known, directory_urls, from_source).encode("utf-8")
        for p in content.pages
    }
    out[content.prefix + STYLESHEET_URI] = STYLESHEET.encode("utf-8")
    out.update(content.files)  # the calendars
    if download_dir is not None:
        for uri, rel in content.downloads.items():
            out[uri] = download_dir / rel
    return out


def write_pages(
    content: SiteContent,
    docs: Path,
    download_dir: Path | None,
    directory_urls: bool = True,
    from_source: bool = False,
) -> Written:
    """Write the pages; refuse (before writing anything) to overwrite a hand-written file."""
    folder = docs / content.prefix
    before = generated_before(folder)
    files = planned(content, docs, download_dir, directory_urls, from_source)
    local = {uri[len(content.prefix) :]: data for uri, data in files.items()}
    clashes = [
        Problem(f"{docs.name}/{content.prefix}{name}", 1, 1, "site-page", _CLASH)
        for name in sorted(local)
        if (folder / name).exists() and name not in before
    ]
    if clashes:
        raise ProblemsFound(clashes)
    nav = nav_fragment(content)
    local[NAV_FILE] = nav.encode("utf-8")
    removed = sorted(before - set(local) - {LISTING})
    for name in removed:
        (folder / name).unlink(missing_ok=True)
    for name, data in local.items():
        _put(folder / name, data)
    listing = HEADER + "".join(f"/{name}\n" for name in sorted({*local, LISTING}))
    _put(folder / LISTING, listing.encode("utf-8"))
    return Written(folder, tuple(sorted(local)), tuple(removed), nav)


_CLASH = "a hand-written file is where a generated page goes; remove or rename it"


def _put(path: Path, data: bytes | Path) -> None:
    # Unchanged files keep their time stamps: `mkdocs serve` and `zensical serve`
    # rebuild only what changed.
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, Path):
        if not path.exists() or path.read_bytes() != data.read_bytes():
            shutil.copyfile(data, path)
    elif not path.exists() or path.read_bytes() != data:
        path.write_bytes(data)


class _Lenient(yaml.SafeLoader):
    """mkdocs.yml may hold `!!python/name:` and `!ENV` tags: read them as nothing."""


_Lenient.add_multi_constructor("", lambda loader, suffix, node: None)


def read_mkdocs_yml(path: Path) -> dict[str, object]:
    if not path.is_file():
        return {}
    data = yaml.load(path.read_text("utf-8"), Loader=_Lenient)
    return data if isinstance(data, dict) else {}


def plugin_options(config: dict[str, object]) -> dict[str, object]:
    """The `clausekit` plugin's options in a mkdocs.yml (empty when it is not listed)."""
    plugins = config.get("plugins")
    for item in plugins if isinstance(plugins, list) else []:
        if isinstance(item, dict) and isinstance(item.get("clausekit"), dict):
            return dict(item["clausekit"])
    return {}
