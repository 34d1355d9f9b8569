"""The folders clausekit.yml names: where builds write, where fonts are found.

clausekit.yml comes with pull requests too: its paths may not lead out of the
repository, by `..`, an absolute path or a symbolic link.
"""

from __future__ import annotations

import os
from pathlib import Path

from clausekit.errors import Problem, ProblemsFound
from clausekit.load.files import inside


def output_folder(root: Path, output: str) -> Path:
    """The `output` setting (default dist/) as a folder inside the repository."""
    _confined(root, "output", output)
    return root / output


def font_folders(root: Path, raw: str | None) -> list[str] | None:
    """The `fonts: {paths: "a:b"}` setting as absolute folders; None when unset."""
    if not raw:
        return None
    paths = [p for p in str(raw).split(os.pathsep) if p]
    for p in paths:
        _confined(root, "fonts.paths", p)
    return [str((root / p).resolve()) for p in paths]


def _confined(root: Path, name: str, value: str) -> None:
    if not inside(root, root / value):
        msg = f"{name} {value!r} resolves outside the repository"
        raise ProblemsFound([Problem("clausekit.yml", 1, 1, "symlink", msg)])
