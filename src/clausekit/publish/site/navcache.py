"""The theme's navigation rendered once per folder of generated pages, not per page.

Material for MkDocs renders the whole navigation into every page: for 10,000 agreement
pages that is half of the theme's time.  A page the navigation does not list marks
nothing in it as active, and every link in it is relative to the page's folder: the
navigation of all such pages of one folder (a template's agreements, the clauses of
a folder) is the same HTML, so the first one's is kept for the others.  The theme's
own `partials/nav.html` still renders it (through the name
`clausekit-theme/partials/nav.html`); the partial of that name is a wrapper that asks
`NavCache` first.  A theme whose `partials/nav.html` is not
Material's own (another theme, an override in `custom_dir`) is left alone: it may
show something of the page.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import BaseLoader, ChoiceLoader, DictLoader, Environment, PrefixLoader
from jinja2.exceptions import TemplateNotFound
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

NAV = "partials/nav.html"
THEME = "clausekit-theme"  # the theme's templates under their own names
# One line: the wrapper adds no whitespace around what the theme's partial renders.
WRAPPER = (
    "{%- set ck_key = clausekit_nav_key(page) -%}"
    "{%- if ck_key is none -%}"
    f'{{% include "{THEME}/{NAV}" %}}'
    "{%- elif clausekit_nav_known(ck_key) -%}"
    "{{ clausekit_nav_kept(ck_key) }}"
    "{%- else -%}"
    f'{{%- set ck_nav %}}{{% include "{THEME}/{NAV}" %}}{{% endset -%}}'
    "{{ clausekit_nav_keep(ck_key, ck_nav) }}"
    "{%- endif -%}"
)


@dataclass
class NavCache:
    """One build's navigation HTML by folder, for the pages `shared` names."""

    shared: frozenset[str]  # source paths of the pages that may share (generated pages)
    listed: frozenset[str] = frozenset()  # source paths of the pages in the navigation
    below: frozenset[str] = frozenset()  # the folders (URLs) holding a listed page
    kept: dict[str, str] = field(default_factory=dict)

    def read_nav(self, nav: Navigation) -> None:
        self.listed = frozenset(p.file.src_uri for p in nav.pages)
        folders: set[str] = set()
        for page in nav.pages:
            parts = page.url.split("/")[:-1]  # `a/b/` and `a/b.html`: a/, and a/b/ for the first
            folders.update("".join(f"{p}/" for p in parts[:n]) for n in range(1, len(parts) + 1))
        self.below = frozenset(folders)

    def key(self, page: object) -> str | None:
        """The folder whose pages share `page`'s navigation; None: render its own."""
        if not isinstance(page, Page) or page.file.src_uri not in self.shared:
            return None
        if page.file.src_uri in self.listed or page.url in self.below:
            return None  # the navigation marks it, or holds a page below its URL
        return posixpath.dirname(page.url.rstrip("/"))

    def install(self, env: Environment) -> Environment:
        """`env` with the wrapper in place of the theme's partial, when it is Material's."""
        theme = env.loader
        if theme is None or not _materials_own(env, theme):
            return env
        env.loader = ChoiceLoader(
            [DictLoader({NAV: WRAPPER}), PrefixLoader({THEME: theme}, delimiter="/"), theme]
        )
        env.globals["clausekit_nav_key"] = self.key
        env.globals["clausekit_nav_known"] = self.kept.__contains__
        env.globals["clausekit_nav_kept"] = self.kept.__getitem__
        env.globals["clausekit_nav_keep"] = self._keep
        return env

    def _keep(self, key: str, html: str) -> str:
        self.kept[key] = html
        return html


def _materials_own(env: Environment, loader: BaseLoader) -> bool:
    try:
        _, filename, _ = loader.get_source(env, NAV)
    except TemplateNotFound:
        return False
    if filename is None:
        return False
    path = Path(filename).resolve()
    return path.parts[-4:] == ("material", "templates", "partials", "nav.html")
