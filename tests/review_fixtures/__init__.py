"""Real git repositories in temporary folders for the review tests."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

HERE = Path(__file__).resolve().parent
LIBRARY = HERE / "library"  # version 1 of a small bilingual library
CHANGE = HERE / "change"  # files that version 2 adds or replaces

# Fixed identities and dates: commit ids (and so every output naming one) are stable.
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test Lawyer",
    "GIT_AUTHOR_EMAIL": "lawyer@example.com",
    "GIT_COMMITTER_NAME": "Test Lawyer",
    "GIT_COMMITTER_EMAIL": "lawyer@example.com",
    "GIT_AUTHOR_DATE": "2026-11-20T10:00:00+08:00",
    "GIT_COMMITTER_DATE": "2026-11-20T10:00:00+08:00",
    "GIT_CONFIG_NOSYSTEM": "1",
    "HOME": "/nonexistent",  # no user configuration (signing, hooks, aliases)
}


class Repo:
    """A git repository holding a clause library at its top."""

    def __init__(self, root: Path) -> None:
        self.root = root

    @classmethod
    def create(cls, root: Path, source: Path = LIBRARY) -> Repo:
        shutil.copytree(source, root)
        repo = cls(root)
        repo.git("init", "-q", "-b", "main")
        repo.commit("version 1")
        return repo

    def git(self, *args: str) -> str:
        env = {**os.environ, **GIT_ENV}
        proc = subprocess.run(
            ["git", "-C", str(self.root), *args],
            capture_output=True,
            text=True,
            env=env,
            check=True,
        )
        return proc.stdout

    def commit(self, message: str) -> str:
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message)
        return self.git("rev-parse", "HEAD").strip()

    def write(self, rel: str, text: str) -> None:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    def read(self, rel: str) -> str:
        return (self.root / rel).read_text(encoding="utf-8")

    def edit(self, rel: str, old: str, new: str) -> None:
        text = self.read(rel)
        assert old in text, f"{old!r} not in {rel}"
        self.write(rel, text.replace(old, new, 1))

    def overlay(self, folder: Path = CHANGE) -> None:
        shutil.copytree(folder, self.root, dirs_exist_ok=True)
