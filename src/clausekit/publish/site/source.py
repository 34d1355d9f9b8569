"""The one generator's entry: the library loaded, checked and made into site pages.

Both the MkDocs plugin and `clausekit pages` call `site_content`; they differ only
in where the pages go (mkdocs' virtual files, or Markdown files under docs/).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from clausekit.check import Checked
from clausekit.errors import ProblemsFound
from clausekit.load import load_library
from clausekit.publish.site.documents import preview_of
from clausekit.publish.site.form import Repository
from clausekit.publish.site.generate import SiteContent, generate
from clausekit.publish.verify import Preview, unread_agreements, verify


@dataclass(frozen=True)
class SiteOptions:
    """The plugin's options, read from mkdocs.yml by either consumer."""

    site_name: str = "Clause library"
    formats: tuple[str, ...] = ("docx", "pdf")  # () when downloads are off
    history: bool = True
    agreement_pages: str = "all"
    per_page: int = 100
    repo: Repository | None = None  # where the forms' `#propose` opens a new file


def checked_library(root: Path) -> tuple[Checked, dict[str, Preview]]:
    """The library, checked, with the agreements' assembled texts for their previews.

    Agreements are only listed at first, so that `check` reads and checks a large
    library's agreements in parallel workers; then the site needs them, and the
    text the workers assembled for its previews.  Raises `ProblemsFound`.
    """
    checked = Checked(load_library(root, agreements=False))
    result = verify(checked, previews=preview_of)
    if result.problems:
        raise ProblemsFound(list(result.problems))
    checked = checked.with_agreements(unread_agreements(checked.lib))
    if checked.lib.problems:  # a file changed between the two reads
        raise ProblemsFound(list(checked.lib.problems))
    return checked, result.previews


def site_content(
    checked: Checked, previews: dict[str, Preview], options: SiteOptions, prefix: str
) -> SiteContent:
    """Every generated page under `prefix` (`library/` or ""); raises `ProblemsFound`."""
    content = generate(
        checked,
        options.site_name,
        list(options.formats),
        history=options.history,
        agreement_pages=options.agreement_pages,
        previews=previews,
        per_page=max(1, options.per_page),
        repo=options.repo,
    )
    return content.with_prefix(prefix)


def default_prefix(option: str | None, docs: Path, generated: frozenset[str]) -> str:
    """The folder of the generated pages below docs/: `option` when given; else
    `library/` when the site has its own (hand-written) home page, else the top."""
    if option is None:
        own_home = (docs / "index.md").exists() and "index.md" not in generated
        return "library/" if own_home else ""
    option = option.strip("/")
    return f"{option}/" if option else ""
