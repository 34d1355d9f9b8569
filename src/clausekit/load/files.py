"""Listing library files without leaving the repository.

Clause, template and agreement files come from pull requests: a symbolic link
to `/etc/passwd` or to a CI secret must not be read and published.  Links that
stay inside the repository are ordinary files (a shared `schema/` folder, a
clause reused under a second id).  A link, or a folder reached through links,
that resolves outside the repository is reported once, as an `error[symlink]`,
and nothing below it is opened.
"""

from __future__ import annotations

import os
from pathlib import Path

from clausekit.errors import Problem, UsageError


def find_root(start: Path, search_up: bool = True) -> Path:
    """The repository root: the nearest folder holding clausekit.yml or clauses/."""
    start = start.resolve()
    for folder in (start, *start.parents) if search_up else (start,):
        if (folder / "clausekit.yml").is_file() or (folder / "clauses").is_dir():
            return folder
    raise UsageError(f"{start}: not in a clause library (no clausekit.yml or clauses/ found)")


def inside(root: Path, path: Path) -> bool:
    """Whether `path`, with every link followed, is `root` or below it."""
    return _under(os.path.realpath(root), path)


def _under(real_root: str, path: Path) -> bool:
    # Both sides are real paths (no `..`, no links), so a prefix test is exact.
    real = os.path.realpath(path)
    return real == real_root or real.startswith(real_root.rstrip(os.sep) + os.sep)


def escape_problem(root: Path, path: Path) -> Problem:
    rel = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
    return Problem(
        rel,
        1,
        1,
        "symlink",
        "is a symbolic link that resolves outside the repository; it is not read",
    )


def library_files(
    root: Path, folder: str, suffix: str, walked: list[str] | None = None
) -> tuple[list[Path], list[Problem]]:
    """The files named `*suffix` below `root/folder`, sorted, and a problem for each link
    (file or folder) that leads outside `root`.  The real path of each folder walked is
    added to `walked`, when given.

    Folders are walked through links that stay inside, each real folder once, so a
    link cycle ends.
    """
    top = root / folder
    real_root = os.path.realpath(root)
    if not top.is_dir() and not top.is_symlink():
        return [], []
    if not _under(real_root, top):
        return [], [escape_problem(root, top)]
    files: list[Path] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    pending = [top]
    while pending:
        current = pending.pop()
        real = os.path.realpath(current)
        if real in seen:
            continue
        seen.add(real)
        if walked is not None:
            walked.append(real)
        try:
            entries = sorted(os.scandir(current), key=lambda e: e.name)
        except OSError as exc:
            rel = current.relative_to(root).as_posix()
            problems.append(Problem(rel, 1, 1, "io", f"cannot list folder: {exc.strerror}"))
            continue
        for entry in entries:
            path = current / entry.name
            # What is not a link is where its folder is, inside (the folder was walked
            # only if inside): only links are resolved, each an lstat per part of it.
            inner = not entry.is_symlink() or _under(real_root, path)
            if entry.is_dir():  # follows links: a linked folder is walked like a folder
                if inner:
                    pending.append(path)
                else:
                    problems.append(escape_problem(root, path))
            elif entry.name.endswith(suffix):
                if inner:
                    files.append(path)
                else:  # a link to a file outside, or a dangling link
                    problems.append(escape_problem(root, path))
    # By their parts, as Paths sort, but compared as tuples of text (a tenth of the time).
    return sorted(files, key=lambda p: p.parts), problems


def read_inside(root: Path, path: Path) -> str:
    """The text of `path`, refused (PermissionError) if it resolves outside `root`."""
    if not inside(root, path):
        raise PermissionError(0, "resolves outside the repository", str(path))
    return path.read_text(encoding="utf-8")


def linked_output(path: Path, *stops: Path) -> Path | None:
    """The symbolic link among an output folder and its parents below any of `stops`
    (the working folder, the repository), if any.  A repository can commit a link
    where a command will write (`-o review-out`, `review-out -> /home/runner`):
    output goes to real folders."""
    current = Path(os.path.abspath(path))
    tops = [Path(os.path.abspath(s)) for s in stops]
    while True:
        if current.is_symlink():
            return current
        parent = current.parent
        if current in tops or parent == current or not any(parent.is_relative_to(t) for t in tops):
            return None
        current = parent
