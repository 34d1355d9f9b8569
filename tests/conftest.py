"""Shared helpers: run the CLI in-process, copy fixture libraries."""

from __future__ import annotations

import io
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from clausekit.cli import run

REPO = Path(__file__).resolve().parents[1]
TESTS = REPO / "tests"
UPDATE = os.environ.get("CLAUSEKIT_UPDATE_GOLDENS") == "1"
# Results of checks are cached by content in a user folder; the tests keep theirs
# apart (one folder per test process) so a run never reads another's results.
os.environ["CLAUSEKIT_CACHE_DIR"] = tempfile.mkdtemp(prefix="clausekit-test-cache-")


ALLOW_SKIP = os.environ.get("CLAUSEKIT_ALLOW_SKIP") == "1"


def pytest_runtest_setup(item: pytest.Item) -> None:
    """A test whose outside command is missing fails, so CI never passes by skipping it.

    Contributors without LibreOffice or Chromium set CLAUSEKIT_ALLOW_SKIP=1 to skip
    those tests instead; CI never sets it.
    """
    for mark in item.iter_markers("needs"):
        missing = [name for name in mark.args if shutil.which(name) is None]
        if missing:
            message = f"needs {', '.join(missing)} (install: scripts/system-deps.sh)"
            if ALLOW_SKIP:
                pytest.skip(message)
            pytest.fail(message + "; set CLAUSEKIT_ALLOW_SKIP=1 to skip instead", pytrace=False)


@dataclass
class Result:
    code: int
    out: str
    err: str


def cli(*args: str | Path) -> Result:
    out, err = io.StringIO(), io.StringIO()
    code = run([str(a) for a in args], out, err)
    return Result(code, out.getvalue(), err.getvalue())


def golden(path: Path, actual: str) -> str:
    """The expected text; with CLAUSEKIT_UPDATE_GOLDENS=1, (re)write it first."""
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    if not path.exists():
        pytest.fail(f"missing golden file {path}; create it with CLAUSEKIT_UPDATE_GOLDENS=1")
    return path.read_text(encoding="utf-8")


def make_library(dest: Path, *overlays: Path) -> Path:
    """A library in `dest`: the bad-input base, then each overlay copied over it."""
    shutil.copytree(TESTS / "bad" / "_base", dest)
    for overlay in overlays:
        shutil.copytree(overlay, dest, dirs_exist_ok=True)
    return dest


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def base_library(tmp_path: Path) -> Path:
    return make_library(tmp_path / "lib")
