"""`clausekit pages`: the site's generated pages written as files, for any engine.

The options are the MkDocs plugin's, read from the `clausekit` entry of the
library's mkdocs.yml (which Zensical reads too), so both ways give the same pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from clausekit.check import Checked
from clausekit.publish.build import build, default_outdir
from clausekit.publish.site.files import (
    Written,
    generated_before,
    plugin_options,
    read_mkdocs_yml,
    write_pages,
)
from clausekit.publish.site.form import Repository
from clausekit.publish.site.source import (
    SiteOptions,
    checked_library,
    default_prefix,
    site_content,
)


@dataclass(frozen=True)
class PagesRequest:
    root: Path  # the library
    out: Path | None = None  # docs folder; default: mkdocs.yml's docs_dir
    prefix: str | None = None  # default: the plugin's option, else the plugin's rule
    downloads: bool | None = None  # default: the plugin's option (on)
    engine: str = "mkdocs"  # the engine that builds the pages: "mkdocs" or "zensical"


def options_from(config: dict[str, object], downloads: bool) -> SiteOptions:
    plugin = plugin_options(config)
    formats = plugin.get("formats", ["docx", "pdf"])
    return SiteOptions(
        site_name=str(config.get("site_name") or "Clause library"),
        formats=tuple(map(str, formats)) if downloads and isinstance(formats, list) else (),
        history=bool(plugin.get("history", True)),
        agreement_pages=str(plugin.get("agreement_pages", "all")),
        per_page=int(str(plugin.get("agreements_per_page", 100))),
        repo=Repository.from_config(config.get("repo_url"), config.get("edit_uri")),
    )


def write_site_pages(request: PagesRequest) -> Written:
    config = read_mkdocs_yml(request.root / "mkdocs.yml")
    plugin = plugin_options(config)
    docs = request.out or request.root / str(config.get("docs_dir") or "docs")
    downloads = request.downloads
    if downloads is None:
        downloads = bool(plugin.get("downloads", True))
    options = options_from(config, downloads)
    option = request.prefix if request.prefix is not None else plugin.get("prefix")
    prefix = default_prefix(None if option is None else str(option), docs, generated_before(docs))
    checked, previews = checked_library(request.root)
    content = site_content(checked, previews, options, prefix)
    del previews
    download_dir = _render(checked, options, plugin) if options.formats else None
    directory_urls = config.get("use_directory_urls", True) is not False
    from_source = request.engine == "zensical"  # its hrefs: see files.url_between
    return write_pages(content, docs, download_dir, directory_urls, from_source)


def _render(checked: Checked, options: SiteOptions, plugin: dict[str, object]) -> Path:
    """The downloads, rendered (or kept from an earlier build) in the build cache."""
    lib = checked.lib
    cache = plugin.get("cache_dir")
    outdir = (lib.root / str(cache) if cache else default_outdir(lib)).resolve()
    # A missing tool or a failed render stops here, with `build`'s own message.
    build(checked, sorted(lib.agreements), sorted(lib.templates), set(options.formats), outdir)
    return outdir
