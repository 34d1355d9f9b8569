"""The sha256 of a library's files, kept under each file's identity.

Whether a kept document may be built again (`publish.quick`) depends on the digest
of every clause, template and schema file, and reading them all on each build of a
changed agreement cost more than the rest of its check.  A file's digest is kept
under its size, modification and change times and inode: writing a file changes
its change time, which no program can set back, so a file whose identity is
unchanged has the bytes it had.  As git does for its index, a digest is only
kept for a file last modified well before it was read: two writes within the
file system's clock tick would otherwise leave the same identity on other bytes.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path

from clausekit.cachefiles import write_cache_file

FORMAT = 1
# A file modified less than this long before it was read is hashed on every run.
SETTLED_NS = 2_000_000_000

Identity = tuple[int, int, int, int]


def identity(path: str | Path) -> Identity:
    """Size, modification and change times and inode: what writing a file, or adding or
    removing a folder's entry, changes (OSError when it cannot be read)."""
    stat = os.stat(path)
    return (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)


def settled(seen: Identity) -> bool:
    """Whether a file with this identity was last written long enough ago that another
    write within the same clock tick cannot leave it unchanged."""
    return time.time_ns() - max(seen[1], seen[2]) > SETTLED_NS


class FileDigests:
    """The digests kept in `file` (one per library), by path relative to the library."""

    def __init__(self, file: Path, known: dict[str, list[int | str]] | None = None) -> None:
        self.file = file
        self.known: dict[str, list[int | str]] = {} if known is None else known
        self.changed = False

    @classmethod
    def open(cls, file: Path) -> FileDigests:
        """The kept digests; none when the file is missing, damaged or of another format."""
        try:
            data = json.loads(file.read_text("utf-8"))
            known = data["files"] if data.get("format") == FORMAT else {}
        except (OSError, ValueError, AttributeError, KeyError):
            known = {}
        return cls(file, known if isinstance(known, dict) else {})

    def sha256(self, path: Path, rel: str, seen: Identity | None = None) -> str:
        """The digest of the file at `path`, whose identity is `seen` when the caller
        has read it already (OSError when it cannot be read)."""
        now = identity(path) if seen is None else seen
        kept = self.known.get(rel)
        if isinstance(kept, list) and len(kept) == 5 and tuple(kept[:4]) == now:
            return str(kept[4])
        sha = hashlib.sha256(path.read_bytes()).hexdigest()
        if settled(now):
            self.known[rel] = [*now, sha]
            self.changed = True
        return sha

    def save(self) -> None:
        """Keep the digests found since `open`; a folder that cannot take them only
        costs time next run."""
        if self.changed:
            text = json.dumps({"format": FORMAT, "files": self.known}, separators=(",", ":"))
            write_cache_file(self.file, text)
            self.changed = False
