"""Chinese queries for the theme's search: a worker that cuts them into the index's
words before Material for MkDocs' own search worker runs (see
assets/site/search-worker.js for why)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

WORKERS = "assets/javascripts/workers"
_WORKER = re.compile(r"search\.([0-9a-f]+)\.min\.js")


@dataclass(frozen=True)
class SearchWorker:
    theme_file: str  # the theme's worker, e.g. search.a7633da7.min.js
    uri: str  # where ours goes in the site
    content: str

    def point_to_ours(self, page_html: str) -> str:
        """The page's theme configuration naming our worker instead of the theme's."""
        return page_html.replace(f"{WORKERS}/{self.theme_file}", self.uri, 1)


def search_worker(theme_dirs: list[str]) -> SearchWorker | None:
    """Our worker for the theme's, or None when the theme has no such worker."""
    for folder in theme_dirs:
        found = sorted(Path(folder, WORKERS).glob("search.*.min.js"))
        match = _WORKER.fullmatch(found[0].name) if found else None
        if match:
            source = files("clausekit") / "assets" / "site" / "search-worker.js"
            text = source.read_text("utf-8").replace("@@WORKER@@", found[0].name)
            return SearchWorker(found[0].name, f"{WORKERS}/clausekit-search.{match[1]}.js", text)
    return None
