"""The `clausekit` MkDocs plugin: the clause library as generated site pages.

Order of work, chosen so that a bad library never costs the last good site:
mkdocs empties `site_dir` only after `on_pre_build`, so the library is loaded,
checked and every page generated in `on_config`, and the downloads rendered
in `on_pre_build`; any problem raises `LibraryProblems` before a file is
written.  `on_files` then only adds what is ready.
"""

from __future__ import annotations

import html
import logging
import posixpath
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from jinja2 import Environment
from markupsafe import Markup
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from clausekit.check import Checked
from clausekit.errors import ClausekitError, Problem, ProblemsFound
from clausekit.load.files import escape_problem, inside
from clausekit.publish.build import build, default_outdir
from clausekit.publish.site.common import PREVIEW_MARK, GeneratedPage
from clausekit.publish.site.files import generated_before
from clausekit.publish.site.form import Repository
from clausekit.publish.site.generate import (
    AGREEMENT_PAGES,
    STYLESHEET,
    STYLESHEET_URI,
    SiteContent,
)
from clausekit.publish.site.navcache import NavCache
from clausekit.publish.site.pages import Skeletons, TitledPage
from clausekit.publish.site.previews import Previews
from clausekit.publish.site.search import SearchWorker, search_worker
from clausekit.publish.site.source import (
    SiteOptions,
    checked_library,
    default_prefix,
    site_content,
)

log = logging.getLogger("mkdocs.plugins.clausekit")

WATCHED = ("clauses", "templates", "agreements", "schema", "clausekit.yml")


class LibraryProblems(PluginError):
    """The library has problems: the message is `clausekit check`'s lines."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class ClausekitConfig(Config):  # type: ignore[no-untyped-call]  # mkdocs: untyped hook
    root = c.Type(str, default=".")  # the library, relative to mkdocs.yml
    downloads = c.Type(bool, default=True)  # render DOCX/PDF links (off: a faster build)
    formats = c.ListOfItems(c.Choice(("docx", "pdf", "html", "md")), default=["docx", "pdf"])
    cache_dir = c.Optional(c.Type(str))  # where downloads are rendered; default: dist/
    nav_max_pages = c.Type(int, default=300)  # list single pages in the nav up to this many
    history = c.Type(bool, default=True)  # redlines between clause versions from git history
    agreement_pages = c.Choice(AGREEMENT_PAGES, default="all")  # which agreements get a page
    agreements_per_page = c.Type(int, default=100)  # rows of a template's agreement list
    # Folder of the generated pages below docs/; default `library/` when the site has
    # its own docs/index.md, else the top.
    prefix = c.Optional(c.Type(str))


def _plain_text(value: object) -> str:
    return html.escape(Markup(str(value)).striptags())


class ClausekitPlugin(BasePlugin[ClausekitConfig]):  # type: ignore[no-untyped-call]
    def __init__(self) -> None:
        self.root: Path | None = None
        self.checked: Checked | None = None
        self.content: SiteContent | None = None
        self.download_dir: Path | None = None
        self.by_uri: dict[str, GeneratedPage] = {}
        self.previews: Previews | None = None
        self.files: Files | None = None
        self.on_disk: frozenset[str] = frozenset()  # files of a `clausekit pages` run
        self.search: SearchWorker | None = None
        self.navcache: NavCache | None = None  # this build's (`on_files`)
        self.skeletons: Skeletons | None = None  # this build's (`on_files`)

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        self.root = (Path(config.config_file_path).parent / self.config.root).resolve()
        options = SiteOptions(
            site_name=config.site_name,
            formats=tuple(self.config.formats) if self.config.downloads else (),
            history=self.config.history,
            agreement_pages=self.config.agreement_pages,
            per_page=self.config.agreements_per_page,
            repo=Repository.from_config(config.repo_url, config.edit_uri),
        )
        docs = Path(config.docs_dir)
        try:
            self.checked, previews = checked_library(self.root)
            # Pages a `clausekit pages` run left under docs/ are replaced, not refused.
            self.on_disk = generated_before(docs / _prefix_option(self.config.prefix))
            prefix = default_prefix(self.config.prefix, docs, self.on_disk)
            self.on_disk = frozenset(prefix + name for name in generated_before(docs / prefix))
            self.content = site_content(self.checked, previews, options, prefix)
        except ProblemsFound as exc:
            raise LibraryProblems(list(exc.problems)) from exc
        del previews  # 10,000 agreements' Markdown: not kept past page generation
        self._start_previews()
        theme_language = self.content.words.theme_language
        if theme_language is not None:  # a one-language site: the theme speaks it too
            config.theme["language"] = theme_language
        if config.nav is not None:
            config.nav = self.content.expand_nav(config.nav, self.config.nav_max_pages)
        else:
            self.content.compact_nav(self.config.nav_max_pages)
        if "attr_list" not in config.markdown_extensions:
            # Generated pages give their sections stable ids: `## 变量 {#variables}`.
            config.markdown_extensions.append("attr_list")
        if any(name.endswith("search") for name in config.plugins):
            self.search = search_worker(list(config.theme.dirs))
        if STYLESHEET_URI not in config.extra_css:
            config.extra_css.append(STYLESHEET_URI)
        log.debug("generated %d pages", len(self.content.pages))
        return config

    def _start_previews(self) -> None:
        # The pages keep no preview text: it goes to the conversion, and its HTML
        # comes back when the page is written.
        assert self.content is not None
        if self.previews is not None:  # a rebuild (`mkdocs serve`)
            self.previews.close()
        texts = {p.uri: p.preview for p in self.content.pages if p.preview is not None}
        self.content.pages = [replace(p, preview=None) for p in self.content.pages]
        self.by_uri = {p.uri: p for p in self.content.pages}
        self.previews = Previews(texts)

    def on_page_content(
        self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        generated = self.by_uri.get(page.file.src_uri)
        return generated.fill(html, _urls(page, files)) if generated is not None else html

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str | None:
        # The blocks kept out of search (agreement previews) go in last: the search
        # plugin has read the page by now, and never parses 10,000 previews.
        if self.search is not None:
            output = self.search.point_to_ours(output)
        generated = self.by_uri.get(page.file.src_uri)
        if generated is None:
            return output
        assert self.files is not None
        output = generated.fill(output, _urls(page, self.files), searchable=False)
        assert self.previews is not None
        if page.file.src_uri in self.previews:
            output = output.replace(PREVIEW_MARK, self.previews.html(page.file.src_uri), 1)
        return output

    def on_env(
        self, env: Environment, /, *, config: MkDocsConfig, files: Files
    ) -> Environment | None:
        self.files = files  # as the pages are written with them (`on_post_page`)
        assert self.navcache is not None
        env = self.navcache.install(env)
        # The theme prints `page.title | striptags` into <title> unescaped, and striptags
        # un-escapes: a title `X</title><script>…` became a live script.  Titles are
        # plain text everywhere: what striptags gives is escaped again.
        env.filters["striptags"] = _plain_text
        return env

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        self._close_previews()

    def on_build_error(self, *, error: Exception) -> None:
        self._close_previews()

    def _close_previews(self) -> None:
        if self.previews is not None:
            self.previews.close()
            self.previews = None

    def on_pre_build(self, config: MkDocsConfig) -> None:
        if not self.config.downloads:
            return
        assert self.checked is not None and self.root is not None
        lib = self.checked.lib
        try:
            cache = self.root / self.config.cache_dir if self.config.cache_dir else None
            outdir = (cache or default_outdir(lib)).resolve()
            report = build(
                self.checked,
                sorted(lib.agreements),
                sorted(lib.templates),
                set(self.config.formats),
                outdir,
            )
        except ProblemsFound as exc:
            raise LibraryProblems(list(exc.problems)) from exc
        except ClausekitError as exc:  # a missing tool or a failed render
            raise PluginError(f"clausekit: downloads: {exc}") from exc
        log.info(
            "downloads: %d rendered, %d up to date in %s",
            len(report.built),
            len(report.unchanged),
            outdir,
        )
        self.download_dir = outdir

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        assert self.content is not None
        _refuse_links_outside(files, config.docs_dir, Path(config.config_file_path).parent)
        self.skeletons = skeletons = Skeletons.of(config)  # this build's
        self.navcache = NavCache(frozenset(p.uri for p in self.content.pages))
        for stale in [f for f in files if f.src_uri in self.on_disk]:
            files.remove(stale)
        for page in self.content.pages:
            if files.get_file_from_path(page.uri) is not None:
                raise PluginError(
                    f"clausekit: docs/{page.uri} is generated from the library; "
                    "remove or rename the hand-written file"
                )
            # Explicit levels: mkdocs' default `exclude_docs` drops `/templates/`
            # (meant for theme overrides), which is where template pages live.
            inclusion = (
                InclusionLevel.INCLUDED
                if page.uri in self.content.in_nav
                else InclusionLevel.NOT_IN_NAV
            )
            file = File.generated(config, page.uri, content=page.content, inclusion=inclusion)
            files.append(file)
            if page.one_of_many:  # mkdocs takes the page it is given (`File.page`)
                TitledPage(file, config, page.title, skeletons)
        files.append(File.generated(config, STYLESHEET_URI, content=STYLESHEET))
        if self.search is not None:
            files.append(File.generated(config, self.search.uri, content=self.search.content))
        for uri, content in self.content.files.items():  # the calendars
            files.append(File.generated(config, uri, content=content))
        if self.download_dir is not None:
            for uri, rel in self.content.downloads.items():
                path = self.download_dir / rel
                files.append(File.generated(config, uri, abs_src_path=str(path)))
        return files

    def on_nav(
        self, nav: Navigation, /, *, config: MkDocsConfig, files: Files
    ) -> Navigation | None:
        assert self.navcache is not None
        self.navcache.read_nav(nav)
        return nav

    def on_serve(
        self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Any
    ) -> LiveReloadServer | None:
        assert self.root is not None
        for name in WATCHED:
            path = self.root / name
            if path.exists():
                server.watch(str(path))
        return server


def _refuse_links_outside(files: Files, docs_dir: str, site_root: Path) -> None:
    """A docs page or asset that is a link out of the site's folder is never published
    (theme files come from the installed theme, not from the repository)."""
    problems = [
        escape_problem(site_root, Path(f.abs_src_path))
        for f in files
        if f.src_dir == docs_dir
        and f.abs_src_path is not None
        and not inside(site_root, Path(f.abs_src_path))
    ]
    if problems:
        raise LibraryProblems(problems)


def _urls(page: Page, files: Files) -> Callable[[str], str]:
    """What makes a link target of a generated block (a path relative to `page`'s
    source) the URL mkdocs gives it; a target that is no page is an error, as mkdocs'
    strict check of a Markdown link."""
    folder = posixpath.dirname(page.file.src_uri)

    def url(target: str) -> str:
        path, hash_, anchor = target.partition("#")
        found = files.get_file_from_path(posixpath.normpath(posixpath.join(folder, path)))
        if found is None:
            raise PluginError(f"clausekit: {page.file.src_uri} links to a missing page {path}")
        return found.url_relative_to(page.file) + hash_ + anchor

    return url


def _prefix_option(option: str | None) -> str:
    return option.strip("/") if option else ""
