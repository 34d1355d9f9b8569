"""Write a new library: all of it, or (when anything is in the way) nothing.

Every file is created with mode "x", so even a file that appears between the
check and the write is never overwritten; if one write fails, what was
written is removed again.
"""

from __future__ import annotations

import datetime
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from clausekit.errors import ClausekitError, ToolMissing
from clausekit.starter.content import starter_files


@dataclass(frozen=True)
class InitResult:
    root: Path
    written: tuple[str, ...]  # relative paths, sorted
    git_init: bool  # a new git repository was created


def init_library(
    target: Path, lang: str, bare: bool, today: datetime.date | None = None
) -> InitResult:
    target = target.absolute()
    files = starter_files(lang, bare, today or datetime.date.today())
    in_way = [rel for rel in files if _in_the_way(target, rel)]
    if in_way:
        raise ClausekitError(
            f"{target}: {len(in_way)} file{'s' if len(in_way) > 1 else ''} in the way, "
            f"nothing written: {', '.join(in_way)}"
        )
    git = shutil.which("git")
    if git is None:
        raise ToolMissing(
            "git is not installed: a clause library is a git repository "
            "(Debian: apt-get install git)"
        )
    needs_git = not _inside_git(git, _existing_ancestor(target))
    created: list[Path] = []
    try:
        for rel, text in files.items():
            _write(target / rel, text, created)
        if needs_git:
            _git_init(git, target)
    except BaseException:
        _remove(created)
        raise
    return InitResult(target, tuple(files), needs_git)


def _in_the_way(root: Path, rel: str) -> bool:
    """A file, folder or link at the path, or a non-folder where a parent folder goes."""
    path = root / rel
    if path.is_symlink() or path.exists():
        return True
    return any(p.exists() and not p.is_dir() for p in path.parents)


def _existing_ancestor(path: Path) -> Path:
    while not path.exists():
        path = path.parent
    return path


def _inside_git(git: str, folder: Path) -> bool:
    done = subprocess.run(
        [git, "-C", str(folder), "rev-parse", "--is-inside-work-tree"],
        capture_output=True,
        text=True,
        check=False,
    )
    return done.returncode == 0 and done.stdout.strip() == "true"


def _write(path: Path, text: str, created: list[Path]) -> None:
    missing = [p for p in (path.parent, *path.parent.parents) if not p.exists()]
    for folder in reversed(missing):
        folder.mkdir()
        created.append(folder)
    try:
        with path.open("x", encoding="utf-8", newline="\n") as f:  # "x": never overwrite
            created.append(path)
            f.write(text)
    except FileExistsError as exc:
        raise ClausekitError(f"{path}: appeared while writing; nothing written") from exc
    except OSError as exc:
        raise ClausekitError(f"{path}: cannot write: {exc.strerror}") from exc


def _git_init(git: str, root: Path) -> None:
    done = subprocess.run(
        [git, "init", "--quiet", "--initial-branch=main", str(root)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise ClausekitError(f"git init {root} failed: {done.stderr.strip()}")


def _remove(created: list[Path]) -> None:
    for path in reversed(created):
        if path.is_dir():
            shutil.rmtree(path)  # a folder this run created: only its own files or .git
        elif path.exists():
            path.unlink()
