"""Problems found by earlier runs, kept by the content they were found in.

Checking a file gives the same problems as long as the file, everything it
depends on, the schemas and clausekit itself are unchanged; so each result is
kept under a key that is a digest of all of them, and found again by the next
run instead of being computed.  A changed byte anywhere in those inputs gives
a new key: the cache can miss, never hide a problem.

One JSON file per library under the user's cache folder
(`$CLAUSEKIT_CACHE_DIR`, else the platform's: `$XDG_CACHE_HOME/clausekit` or
`~/.cache/clausekit` on Linux, `~/Library/Caches/clausekit` on macOS,
the local app-data cache folder on Windows); `CLAUSEKIT_CACHE_DIR=off` turns it off.  The file
records the salt it was written with: the clausekit version, a digest of the
schema files and of clausekit's own modules, so an upgrade starts afresh.
Writes are atomic; two runs at once cost at most some recomputation.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from clausekit import __version__
from clausekit.cachefiles import cache_folder, write_cache_file
from clausekit.errors import Problem

FORMAT = 1
PACKAGE = Path(__file__).parents[1]


def digest(*parts: str) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()


def library_folder(root: Path) -> str:
    """The name a library's files have in the cache folder: its path's digest."""
    return digest(str(root.resolve()))[:32]


def code_salt() -> str:
    """What invalidates anything clausekit derived from a file: its version and code,
    and the libraries it reads with (jsonschema, Jinja, PyYAML)."""
    return digest(str(FORMAT), __version__, *installed_versions(), *_code_stamp())


@lru_cache(maxsize=1)
def package_salt() -> str:
    """`salt` of clausekit's own schemas and no settings: what keys the documents and
    frames a build keeps.  Once per process, as the code stamp: these are package files."""
    return salt(PACKAGE / "schemas", "")


def salt(schema_folder: Path, settings: str) -> str:
    """What invalidates every result: clausekit's version and code, the libraries that
    check (jsonschema, Jinja, PyYAML), the schemas, settings."""
    parts = [str(FORMAT), __version__, settings, *installed_versions()]
    for path in sorted(schema_folder.glob("*.schema.json")):
        # Where a schema file leads decides whether it may be read at all: a link put
        # in place of a file, even with the same bytes, must be checked again.
        where = os.path.realpath(path)
        parts.append(f"{hashlib.sha256(path.read_bytes()).hexdigest()}:{where}")
    return digest(*parts, *_code_stamp())


@lru_cache(maxsize=1)
def _code_stamp() -> tuple[str, ...]:
    """clausekit's modules, each with its size and time: a development install changes
    its code without changing its version.  Listed once per process (a build asks for
    the salt of several caches), as the code that runs is the code imported."""
    # os.scandir, not Path.rglob: the same listing in a tenth of the time (every run
    # of every command starts with it).  Sorted by path parts, as Paths sort.
    found: list[tuple[tuple[str, ...], str]] = []
    folders: list[tuple[str, ...]] = [()]
    while folders:
        parts = folders.pop()
        with os.scandir(os.path.join(PACKAGE, *parts)) as entries:
            for entry in entries:
                if entry.is_dir():
                    folders.append((*parts, entry.name))
                elif entry.name.endswith(".py"):
                    stat = entry.stat()
                    rel = "/".join((*parts, entry.name))
                    found.append(((*parts, entry.name), f"{rel}:{stat.st_size}:{stat.st_mtime_ns}"))
    return tuple(line for _, line in sorted(found))


@lru_cache(maxsize=1)
def installed_versions() -> tuple[str, ...]:
    """The installed distributions beside jsonschema, with their versions (the names
    of their `*.dist-info` folders): a listing, without importing any of them.  Listed
    once per process (a build asks for it five times), like the code stamp: what a
    process runs is what it found installed when it imported it."""
    spec = importlib.util.find_spec("jsonschema")
    if spec is None or spec.origin is None:
        return ("jsonschema:absent",)
    site = Path(spec.origin).parents[1]
    try:
        return tuple(sorted(n for n in os.listdir(site) if n.endswith(".dist-info")))
    except OSError as exc:
        return (f"{site}:{exc.strerror}",)


Entry = list[list[object]]  # problems as [path, line, col, code, message] rows


def _problem(row: list[object]) -> Problem:
    path, line, col, code, message = row
    if not isinstance(line, int) or not isinstance(col, int):
        raise TypeError(f"not a kept problem: {row!r}")
    return Problem(str(path), line, col, str(code), str(message))


class ResultCache:
    """The results of one library; `get` and `put` by key, `save` at the end of a run."""

    def __init__(self, file: Path | None, salt: str) -> None:
        self.file = file
        self.salt = salt
        self._old: dict[str, Entry] = self._read()
        self._new: dict[str, Entry] = {}
        self._used: set[str] = set()

    @classmethod
    def for_library(cls, root: Path, schema_folder: Path, settings: str) -> ResultCache:
        folder = cache_folder()
        file = folder / f"{library_folder(root)}.json" if folder else None
        return cls(file, salt(schema_folder, settings) if file else "")

    def get(self, key: str) -> tuple[Problem, ...] | None:
        entry = self.rows(key)
        if entry is None:
            return None
        try:
            return tuple(_problem(row) for row in entry)
        except (ValueError, TypeError, AssertionError):
            return None  # a damaged entry is a miss: found afresh, then replaced

    def put(self, key: str, problems: Iterable[Problem]) -> None:
        self.put_rows(key, [[p.path, p.line, p.col, p.code, p.message] for p in problems])

    def rows(self, key: str) -> Entry | None:
        """Any result kept as rows of JSON values (problems, a body's headings)."""
        entry = self._new.get(key)
        if entry is None:
            entry = self._old.get(key)
        if entry is not None:
            self._used.add(key)
        return entry

    def touch(self, key: str) -> None:
        """Keep a result that this run did not need to read (one found through another)."""
        self._used.add(key)

    def put_rows(self, key: str, rows: Entry) -> None:
        self._used.add(key)
        if self._old.get(key) != rows:  # a result found again is not new
            self._new[key] = rows

    def new_entries(self) -> dict[str, Entry]:
        """Results computed in this process (a worker hands them to its parent)."""
        return dict(self._new)

    def add(self, entries: dict[str, Entry]) -> None:
        self._new.update(entries)
        self._used.update(entries)

    def save(self, prune: bool = False) -> None:
        """Write what was added; with `prune`, keep only what this run used (a full
        `check` touches every file, so what it did not use is stale)."""
        if self.file is None or (not self._new and not prune):
            return
        entries = {**self._old, **self._new}
        if prune:
            entries = {k: v for k, v in entries.items() if k in self._used}
        data = json.dumps(
            {"salt": self.salt, "entries": entries}, separators=(",", ":"), sort_keys=True
        )
        write_cache_file(self.file, data)

    def _read(self) -> dict[str, Entry]:
        if self.file is None:
            return {}
        try:
            data = json.loads(self.file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}  # absent or damaged: start afresh
        if not isinstance(data, dict) or data.get("salt") != self.salt:
            return {}
        entries = data.get("entries")
        return entries if isinstance(entries, dict) else {}
