"""The user's cache folder and the files kept in it, for every stage that keeps
something there (check results, parses, compiled code, documents, frames).

A cache file is written whole or not at all, and a cache folder holds a bounded
number of entries: the oldest go first.  Nothing here can make a run fail: a folder
that cannot take a file, or another run pruning at the same time, only costs time.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

# What `write_cache_file` names a file while it is written (pruning leaves it alone).
TEMPORARY = ".tmp-"


def cache_folder() -> Path | None:
    """Where results are kept; None when caching is off."""
    configured = os.environ.get("CLAUSEKIT_CACHE_DIR")
    if configured is not None:
        return None if configured.strip().lower() in ("", "off", "0", "no") else Path(configured)
    from platformdirs import user_cache_path

    return user_cache_path("clausekit", appauthor=False)


def write_cache_file(file: Path, text: str | bytes) -> None:
    """Write `file` whole or not at all (a temporary file, then renamed); a folder
    that cannot take it only costs time on the next run."""
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=file.parent, prefix=TEMPORARY, suffix=file.suffix)
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(text.encode("utf-8") if isinstance(text, str) else text)
        os.replace(tmp, file)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def prune_oldest(folder: Path, pattern: str, keep: int) -> None:
    """Keep the `keep` files of `pattern` in `folder` written last; remove the others
    (never one still being written)."""
    try:
        found = [p for p in folder.glob(pattern) if not p.name.startswith(TEMPORARY)]
        found.sort(key=lambda p: p.stat().st_mtime_ns)
        for old in found[: max(0, len(found) - keep)]:
            old.unlink(missing_ok=True)
    except OSError:
        return  # another run pruned or wrote at the same time: only costs time
