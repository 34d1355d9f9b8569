"""Agreement and clause pages converted once per kind, not once each.

An agreement page's Markdown is its title as a heading, then section headings with
fixed ids (`## 预览 {#preview}`) and the markers where its HTML blocks go (a clause
page's too): every page of one folder and language with the same sections is the
same but for the title.  Python-Markdown
takes about as long for that as the theme takes for the whole page, 10,000 times
over.  So the first page of each kind is converted by mkdocs as any page is, with
a mark for a title (the skeleton), and each page gets its own title, id and
permalink put in the skeleton's place, exactly as the heading would have been
converted.  Anything the shortcut cannot vouch for (another Markdown extension
that may rewrite heading text, a page whose Markdown is not what the plugin
wrote, a title whose id would clash) is converted in full.  The page's front matter
(kept out of search) is the plugin's own too: it is known without parsing YAML.
"""

from __future__ import annotations

import copy
import html
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from markdown.extensions.toc import slugify as default_slugify  # type: ignore[import-untyped]
from markdown.extensions.toc import unique
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import TableOfContents
from mkdocs.utils.meta import get_data

from clausekit.publish.site.common import NO_SEARCH
from clausekit.publish.site.markup import md_text, one_line

# Lower-case letters only: every slugify keeps it as it is.
MARK = "cktitlemark"
# Extensions that leave a heading's escaped text as it is: with any other (smarty,
# emoji, magiclink...), a title could come out differently, so pages are converted
# in full.
KEEP_TEXT = frozenset(
    {
        "abbr",
        "admonition",
        "attr_list",
        "codehilite",
        "def_list",
        "fenced_code",
        "footnotes",
        "md_in_html",
        "meta",
        "sane_lists",
        "tables",
        "toc",
        "pymdownx.details",
        "pymdownx.highlight",
        "pymdownx.inlinehilite",
        "pymdownx.superfences",
        "pymdownx.tabbed",
    }
)


def _no_search_meta() -> dict[str, Any]:
    """What YAML makes of `NO_SEARCH` (a new dict each time: pages may change theirs)."""
    return {"search": {"exclude": True}}


_AUTO_ID = re.compile(r"_\d+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class Skeleton:
    """A page of one kind as mkdocs converted it, with `MARK` for its title."""

    content: str
    toc: TableOfContents
    anchors: frozenset[str]  # the ids on the page but the title's
    # mkdocs' record of the links to anchors, to check them once every page is
    # converted: those to other pages, and those to anchors of this page.
    links_to_anchors: dict[File, dict[str, str]] | None
    own_links: dict[str, str]
    permalink: bool  # the title's permalink is among its own links


@dataclass
class Skeletons:
    """The skeletons of one build, by folder and Markdown after the title."""

    slugify: Callable[[str, str], str] | None  # None: every page converted in full
    separator: str = "-"
    found: dict[tuple[str, str], Skeleton | None] = field(default_factory=dict)

    @classmethod
    def of(cls, config: MkDocsConfig) -> Skeletons:
        names = {_name(ext) for ext in config.markdown_extensions}
        toc = (config.mdx_configs or {}).get("toc") or {}
        if not names <= KEEP_TEXT or not callable(toc.get("slugify", default_slugify)):
            return cls(None)
        return cls(toc.get("slugify", default_slugify), str(toc.get("separator", "-")))


def _name(extension: object) -> str:
    if isinstance(extension, str):
        return extension.removeprefix("markdown.extensions.")
    return type(extension).__module__  # an Extension object: never in KEEP_TEXT


class TitledPage(Page):
    """A generated page whose Markdown starts with its title as the one `#` heading."""

    def __init__(self, file: File, config: MkDocsConfig, title: str, skeletons: Skeletons):
        super().__init__(None, file, config)
        self.heading_title = title
        self.skeletons = skeletons

    def read_source(self, config: MkDocsConfig) -> None:
        """As mkdocs reads a page, but the front matter the plugin wrote is known: no
        YAML parser for it (a third of a millisecond, on each of 10,000 pages)."""
        source = config.plugins.on_page_read_source(page=self, config=config)
        if source is None:
            source = self.file.content_string
        if source.startswith(NO_SEARCH):
            self.markdown, self.meta = source[len(NO_SEARCH) :].lstrip("\n"), _no_search_meta()
        else:
            self.markdown, self.meta = get_data(source)

    def render(self, config: MkDocsConfig, files: Files) -> None:
        if self.markdown is None or self.skeletons.slugify is None:
            return super().render(config, files)
        head = f"# {md_text(self.heading_title)}\n"
        if not self.markdown.startswith(head):  # another plugin changed it
            return super().render(config, files)
        rest = self.markdown[len(head) :]
        # Links in the Markdown are relative to the page's folder: one skeleton each.
        key = (posixpath.dirname(self.file.src_uri), rest)
        if key not in self.skeletons.found:
            self.skeletons.found[key] = self._skeleton(f"# {MARK}\n{rest}", config, files)
        skeleton = self.skeletons.found[key]
        if skeleton is None or not self._fill(skeleton):
            super().render(config, files)
        return None

    def _skeleton(self, markdown: str, config: MkDocsConfig, files: Files) -> Skeleton | None:
        """The page converted with `MARK` for its title; None if the mark does not come
        out where the title would (the conversion does more than give it an id)."""
        source = self.markdown
        self.markdown = markdown
        try:
            super().render(config, files)
        finally:
            self.markdown = source
        content = self.content or ""
        self.content = None
        permalink = f'href="#{MARK}"' in content
        if not (
            self.title == MARK
            and content.count(MARK) == 2 + permalink  # the text, the id, the permalink
            and f'id="{MARK}">{MARK}<' in content
            and self.toc.items
            and self.toc.items[0].id == MARK
            and self.present_anchor_ids is not None
        ):
            return None
        links = self.links_to_anchors
        own: dict[str, str] = dict(links.pop(self.file, {})) if links is not None else {}
        if own.pop(MARK, None) is None and permalink and links is not None:
            return None  # mkdocs records the permalink: its record is not what we know
        if MARK in "".join(own.values()):
            return None
        return Skeleton(
            content,
            self.toc,
            frozenset(self.present_anchor_ids - {MARK}),
            links,
            own,
            permalink,
        )

    def _fill(self, skeleton: Skeleton) -> bool:
        """This page from the skeleton, as Python-Markdown's `toc` would have made its
        title heading; False when the title's id would clash with another id."""
        assert self.skeletons.slugify is not None
        line = one_line(self.heading_title).strip()  # as `md_text`
        if not line or _CONTROL.search(line):  # tabs and control characters: Python-Markdown's own
            return False
        text = html.escape(line, quote=False)  # the heading's HTML
        name = " ".join(text.split())  # its text, as `toc` and mkdocs take it
        slug = self.skeletons.slugify(html.unescape(name), self.skeletons.separator)
        if slug in skeleton.anchors or (
            not slug and any(_AUTO_ID.fullmatch(a) for a in skeleton.anchors)
        ):
            return False  # `toc` would have renumbered: leave it to the full conversion
        anchor = unique(slug, set(skeleton.anchors))
        attr = _attribute(anchor)
        self.content = (
            skeleton.content.replace(f'id="{MARK}"', f'id="{attr}"', 1)
            .replace(f'href="#{MARK}"', f'href="#{attr}"', 1)
            .replace(MARK, text, 1)
        )
        toc = copy.deepcopy(skeleton.toc)
        toc.items[0].title = name
        toc.items[0].id = anchor
        self.toc = toc
        self.title = name
        self.present_anchor_ids = {*skeleton.anchors, anchor}
        if skeleton.links_to_anchors is not None:  # recorded unless mkdocs logs debug
            # The skeleton's (the title holds none), its own anchors this page's.
            links = {f: dict(a) for f, a in skeleton.links_to_anchors.items()}
            own = {**skeleton.own_links, **({anchor: f"#{anchor}"} if skeleton.permalink else {})}
            self.links_to_anchors = {**links, **({self.file: own} if own else {})}
        return True


def _attribute(value: str) -> str:
    """An attribute value escaped as Python-Markdown's serializer escapes it."""
    return (
        value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )
