"""The files of a new library, as text, for a language.

The starter files are package data:

    files/common/        every new library (workflows, hooks, .gitignore)
    files/<lang>/base/   the language's clausekit.yml, mkdocs.yml, README, home page
    files/<lang>/example/  one clause, one template, one draft agreement (not with --bare)

A path segment `dot-x` stands for `.x`: setuptools leaves dotfiles out of
package data.  `@@NAME@@` placeholders are filled in from `release.py`, so a
new library installs and uses exactly the release that created it.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from importlib import resources
from importlib.resources.abc import Traversable

from clausekit.starter.release import substitutions

LANGS = ("zh-CN", "en")
# Kept in git so that the folders of a bare library survive its first commit.
KEEP = ".gitkeep"
LIBRARY_FOLDERS = ("clauses", "templates", "agreements")
_PLACEHOLDER = re.compile(r"@@([A-Z_]+)@@")


def starter_files(lang: str, bare: bool, today: datetime.date) -> dict[str, str]:
    """Relative path -> text of every file `clausekit init` writes."""
    if lang not in LANGS:
        raise ValueError(f"no starter files for language {lang!r}")
    root = resources.files("clausekit.starter") / "files"
    parts = [root / "common", root / lang / "base"]
    if not bare:
        parts.append(root / lang / "example")
    values = {**substitutions(), "TODAY": today.isoformat()}
    files: dict[str, str] = {}
    for part in parts:
        for rel, node in _walk(part, ""):
            files[rel] = _PLACEHOLDER.sub(lambda m: values[m.group(1)], node.read_text("utf-8"))
    if bare:
        files.update({f"{folder}/{KEEP}": "" for folder in LIBRARY_FOLDERS})
    return dict(sorted(files.items()))


def _walk(folder: Traversable, prefix: str) -> Iterator[tuple[str, Traversable]]:
    for node in sorted(folder.iterdir(), key=lambda n: n.name):
        name = "." + node.name[4:] if node.name.startswith("dot-") else node.name
        if node.is_dir():
            yield from _walk(node, f"{prefix}{name}/")
        elif not name.endswith((".pyc", "~")):
            yield f"{prefix}{name}", node
