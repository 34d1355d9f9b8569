"""Reading a library as it was at a git revision.

`library_at(root, "HEAD~1")` extracts the library folders of that commit with
`git archive` into a temporary folder and loads it like any library, so every
other stage (validation, assembly, rendering) works on old revisions unchanged.
Validation reads `schema/` lazily, hence a context manager: the folder lives as
long as the `Library` is used.

Each temporary library is registered with the repository and commit it came
from, so that locked agreements found in it recover their clauses from the
right history (see `locks.py`).
"""

from __future__ import annotations

import io
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from clausekit.errors import ClausekitError, Problem, ProblemsFound
from clausekit.load import load_library
from clausekit.load.model import Library

if TYPE_CHECKING:
    from tarfile import FilterError

# What a library is made of; anything else in the repository (docs, dist) is not read.
LIBRARY_PARTS = ("clausekit.yml", "clauses", "templates", "agreements", "schema")
UNSHALLOW_HINT = "this is a shallow clone: run `git fetch --unshallow` to get the full history"


class GitError(ClausekitError):
    """git is missing, the folder is not a repository, or a revision does not exist."""


@dataclass(frozen=True)
class Origin:
    """Where the files of a library come from: a repository, and a commit or the work tree."""

    git_root: Path  # the folder `git -C` runs in (the library root inside the work tree)
    commit: str | None  # None: the working tree (history is searched from HEAD)


def origin(lib: Library) -> Origin:
    """Where `lib`'s history is: its own folder, or the repository a revision came from."""
    return Origin(*lib.origin) if lib.origin else Origin(lib.root, None)


def git(cwd: Path, *args: str, stdin: bytes | None = None) -> bytes:
    """Run git; a failure is a `GitError` carrying git's own first line of complaint."""
    try:
        proc = subprocess.run(
            ["git", "-C", str(cwd), *args],
            input=stdin,
            capture_output=True,
            check=False,
        )
    except OSError as exc:
        raise GitError(f"cannot run git ({exc}); install git to compare revisions") from exc
    if proc.returncode != 0:
        lines = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(f"git {args[0]} failed: {lines[0] if lines else f'exit {proc.returncode}'}")
    return proc.stdout


def is_shallow(cwd: Path) -> bool:
    try:
        return git(cwd, "rev-parse", "--is-shallow-repository").strip() == b"true"
    except GitError:
        return False


def resolve(cwd: Path, rev: str) -> str:
    """The commit id of `rev`; a one-line `GitError` naming it when it does not exist."""
    if rev.startswith("-"):
        raise GitError(f"revision {rev!r} is not a git revision")
    try:
        git(cwd, "rev-parse", "--is-inside-work-tree")
    except GitError as exc:
        raise GitError(f"{cwd} is not in a git repository; cannot compare with {rev!r}") from exc
    try:
        out = git(cwd, "rev-parse", "--verify", "--quiet", "--end-of-options", rev + "^{commit}")
        return out.decode("ascii").strip()
    except GitError:
        hint = f"; {UNSHALLOW_HINT}" if is_shallow(cwd) else ""
        raise GitError(f"revision {rev!r} does not exist in this repository{hint}") from None


def commit_of(cwd: Path, rev: str) -> str:
    return resolve(cwd, rev)


def prefix(cwd: Path) -> str:
    """The library folder's path inside the repository ('' at the top, else 'sub/')."""
    return git(cwd, "rev-parse", "--show-prefix").decode("utf-8").strip()


@contextmanager
def library_at(root: Path, rev: str, agreements: bool = True) -> Iterator[Library]:
    """The library at `root` as it was at revision `rev` (a temporary copy).

    With `agreements=False` agreement files are not read (version checks need none)."""
    commit = commit_of(root, rev)
    where = prefix(root)
    try:
        names = git(root, "ls-tree", "--name-only", "-z", f"{commit}:{where}").split(b"\0")
    except GitError:
        raise GitError(f"the library folder {where or '.'} did not exist at {rev!r}") from None
    parts = [n.decode("utf-8") for n in names if n.decode("utf-8", "replace") in LIBRARY_PARTS]
    with tempfile.TemporaryDirectory(prefix="clausekit-rev-") as tmp:
        folder = Path(tmp).resolve()
        if parts:
            data = git(root, "archive", "--format=tar", f"{commit}:{where}", "--", *parts)
            import tarfile  # only for a library at a past revision

            with tarfile.open(fileobj=io.BytesIO(data)) as tar:
                # The "data" filter refuses links and paths leaving the folder.
                try:
                    tar.extractall(folder, filter="data")
                except tarfile.FilterError as exc:
                    raise _escaping(exc, rev) from None
        for part in ("clauses", "templates", "agreements"):
            (folder / part).mkdir(exist_ok=True)
        lib = load_library(folder, agreements=agreements)
        yield lib._replace(origin=(root, commit))


def _escaping(exc: FilterError, rev: str) -> ProblemsFound:
    """A file of the revision that the extraction refused, as a problem at its path."""
    name = exc.tarinfo.name
    message = f"at {rev!r}: is a symbolic link or path that leads outside the repository"
    return ProblemsFound([Problem(name, 1, 1, "symlink", message)])


def blobs_in_history(git_root: Path, commit: str | None, path: str) -> tuple[tuple[str, str], ...]:
    """Every version of `path` (repository-relative to the library) in the history of
    `commit` (HEAD when None): (commit id, blob id), newest first, each blob once."""
    try:
        start = git(git_root, "rev-parse", "--verify", "--quiet", (commit or "HEAD") + "^{commit}")
    except GitError:
        return ()  # a repository without commits has no history to search
    # Cached by commit id, not by name: HEAD moves, a commit's history does not.
    return _blobs_in_history(git_root, start.decode().strip(), path)


@lru_cache(maxsize=4096)
def _blobs_in_history(git_root: Path, start: str, path: str) -> tuple[tuple[str, str], ...]:
    out = git(
        git_root,
        "log",
        "--no-renames",
        "--raw",
        "--no-abbrev",
        "--format=commit %H",
        start,
        "--",
        path,  # relative to git_root, the library folder
    ).decode("utf-8", "replace")
    found: list[tuple[str, str]] = []
    seen: set[str] = set()
    current = ""
    for line in out.splitlines():
        if line.startswith("commit "):
            current = line[7:].strip()
        elif line.startswith(":"):
            blob = line.split()[3]
            if set(blob) != {"0"} and blob not in seen:
                seen.add(blob)
                found.append((current, blob))
    return tuple(found)


def read_blobs(git_root: Path, blobs: list[str]) -> dict[str, bytes]:
    """The contents of many blobs with one `git cat-file --batch`."""
    if not blobs:
        return {}
    out = git(git_root, "cat-file", "--batch", stdin=("\n".join(blobs) + "\n").encode())
    result: dict[str, bytes] = {}
    pos = 0
    for blob in blobs:
        end = out.index(b"\n", pos)
        header = out[pos:end].split()
        if len(header) < 3 or header[1] != b"blob":
            raise GitError(f"git cat-file: unexpected answer for {blob}: {out[pos:end]!r}")
        size = int(header[2])
        result[blob] = out[end + 1 : end + 1 + size]
        pos = end + 1 + size + 1  # the content is followed by a newline
    return result


def as_text(data: bytes) -> str:
    """Blob bytes as `Path.read_text` would give them (universal newlines), so the
    sha256 of a file from history matches the one clausekit computes for a file."""
    return data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
