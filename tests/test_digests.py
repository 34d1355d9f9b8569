"""A kept digest is used only while the file's identity is unchanged."""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

import pytest

from clausekit.publish import digests
from clausekit.publish.digests import FileDigests


def test_a_rewritten_file_is_hashed_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(digests, "SETTLED_NS", -(10**12))  # keep even a fresh file's
    path = tmp_path / "clause.md"
    path.write_text("one", "utf-8")
    old = time.time_ns() - 10**10  # written ten seconds ago, as far as its time says
    os.utime(path, ns=(old, old))
    kept = FileDigests.open(tmp_path / "d.json")
    assert kept.sha256(path, "clause.md") == hashlib.sha256(b"one").hexdigest()
    kept.save()
    path.write_text("two", "utf-8")  # same size: the change time tells
    again = FileDigests.open(tmp_path / "d.json")
    assert "clause.md" in again.known
    assert again.sha256(path, "clause.md") == hashlib.sha256(b"two").hexdigest()


def test_a_fresh_file_is_not_kept(tmp_path: Path) -> None:
    """Written within the clock tick of the read, it may change again unseen."""
    path = tmp_path / "clause.md"
    path.write_text("one", "utf-8")
    kept = FileDigests.open(tmp_path / "d.json")
    kept.sha256(path, "clause.md")
    assert kept.known == {} and not kept.changed


@pytest.mark.parametrize("text", ["{", '{"format": 1, "files": []}', '{"format": 99, "files": {}}'])
def test_a_damaged_file_is_ignored(tmp_path: Path, text: str) -> None:
    (tmp_path / "d.json").write_text(text, "utf-8")
    path = tmp_path / "clause.md"
    path.write_text("one", "utf-8")
    assert FileDigests.open(tmp_path / "d.json").sha256(path, "clause.md") == (
        hashlib.sha256(b"one").hexdigest()
    )
