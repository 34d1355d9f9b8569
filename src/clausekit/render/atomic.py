"""Atomic file writes: a reader sees the old file or the new one, never half of one."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from clausekit.errors import BuildError


def atomic_write(target: Path, data: bytes, durable: bool = True) -> None:
    """Write `data` to `target` through a temporary file in the same folder.

    os.replace is atomic only within one file system, hence the same folder.  On any
    failure the temporary file is removed and the previous `target` is untouched.
    `durable` also waits for the disk (fsync) before the rename, so that not even a
    power cut leaves a short file: what sources (a lock) need; a build's outputs are
    checked against their digests by the next build and made again instead.
    """
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise BuildError(f"{target}: cannot write: {exc}") from exc
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)  # mkstemp creates 0600; outputs are ordinary files
        os.replace(tmp, target)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise BuildError(f"{target}: cannot write: {exc}") from exc
        raise


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 16), b""):
            h.update(chunk)
    return h.hexdigest()
