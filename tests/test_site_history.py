"""Clause pages show the redline between consecutive versions found in git history."""

from __future__ import annotations

import subprocess
from pathlib import Path

from clausekit.check import Checked
from clausekit.load import load_library
from clausekit.publish.site.generate import generate
from conftest import make_library

GIT = ["git", "-c", "user.name=Test", "-c", "user.email=test@example.com"]


def _commit(root: Path, message: str) -> None:
    subprocess.run([*GIT, "add", "-A"], cwd=root, check=True)
    subprocess.run([*GIT, "commit", "-qm", message], cwd=root, check=True)


def _page(root: Path, clause_id: str, history: bool = True) -> str:
    content = generate(Checked(load_library(root)), "test", [], history=history)
    page = next(p for p in content.pages if p.uri == f"clauses/{clause_id}.md")
    return page.fill(page.content, lambda target: target)  # links stay relative paths


def test_redline_between_versions(tmp_path: Path) -> None:
    lib = make_library(tmp_path / "lib")
    subprocess.run(["git", "init", "-q", str(lib)], check=True)
    _commit(lib, "v1")
    assert "git 历史中只有这一个版本" in _page(lib, "base/term")
    path = lib / "clauses" / "base" / "term.md"
    text = path.read_text("utf-8").replace("version: 1.0.0", "version: 1.0.1", 1)
    text = text.replace(
        "changelog:\n", "changelog:\n  - {version: 1.0.1, date: 2026-11-25, note: 措辞}\n", 1
    )
    path.write_text(text.replace("服务期限自", "本协议服务期限自"), "utf-8")
    _commit(lib, "v2")
    page = _page(lib, "base/term")
    assert r"1\.0\.0 → 1\.0\.1" in page  # Markdown-escaped heading text
    assert '<div class="ck-redline"' in page
    assert "<ins>本协议</ins>" in page
    assert "ck-redline" not in _page(lib, "base/fee").split("版本对照")[1]


def test_no_history_section_outside_git(tmp_path: Path) -> None:
    lib = make_library(tmp_path / "lib")
    assert "版本对照" not in _page(lib, "base/term")  # no git: no history to show
