"""One build at a time per output folder, and no leftovers from a killed one.

The lock is an `flock` on `DIR/.clausekit-build.lock`: the kernel releases it
when the holder exits, however it exits (SIGKILL included), so a stale lock
never needs clearing by hand.  Outputs are written through temporary files
(`render.atomic`), so a killed build leaves complete files under final names
and, at worst, temporary files; the next build to hold the lock removes them.
"""

from __future__ import annotations

import fcntl
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from clausekit.errors import BuildError

LOCK = ".clausekit-build.lock"
# What render.atomic.atomic_write names its temporary files: `.NAME.RANDOM.tmp`.
_TEMPORARY = re.compile(r"^\..+\.[A-Za-z0-9_]{8}\.tmp$")


@contextmanager
def output_lock(outdir: Path, wait: bool = False) -> Iterator[None]:
    """Hold the lock of `outdir` (created if needed) for the duration of a build.

    Without `wait`, a folder another build is writing is a `BuildError`.  A build
    that fails before it writes a file leaves no folder it made (nor its lock).
    """
    made = [folder for folder in (outdir, *outdir.parents) if not folder.exists()]
    try:
        outdir.mkdir(parents=True, exist_ok=True)
        fd = os.open(outdir / LOCK, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except OSError as exc:
        raise BuildError(f"{outdir}: cannot write: {exc.strerror}") from exc
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            raise BuildError(
                f"another build is writing {outdir}; wait for it, or pass --wait"
            ) from None
        remove_temporaries(outdir)
        yield
    except BaseException:
        if made and os.listdir(outdir) == [LOCK]:
            _unmake(outdir, made)
        raise
    finally:
        os.close(fd)  # releases the lock


def _unmake(outdir: Path, made: list[Path]) -> None:
    """Remove the lock and the folders this build made, while it holds the lock; a
    folder something else has since written to stays (`rmdir` fails on it)."""
    (outdir / LOCK).unlink(missing_ok=True)
    for folder in made:  # innermost first
        try:
            folder.rmdir()
        except OSError:
            return


def remove_temporaries(outdir: Path) -> list[Path]:
    """Delete what killed builds left behind; call only while holding the lock."""
    removed = []
    for folder, _dirs, names in os.walk(outdir):
        for name in names:
            if _TEMPORARY.match(name):
                path = Path(folder) / name
                path.unlink(missing_ok=True)
                removed.append(path)
    return removed
