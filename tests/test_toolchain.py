"""The toolchain that made the documents: in the build manifest and in a lock, and a
one-line note when a locked agreement is built with another one."""

from __future__ import annotations

import json
from importlib import metadata
from pathlib import Path

import pytest

from clausekit.render.toolchain import Toolchain, current_toolchain
from conftest import cli
from review_fixtures import Repo

ACME = "services/acme"
ACME_LOCK = "agreements/services/acme.lock.json"


def _notes(err: str) -> str:
    # Standard error also carries the build's progress lines.
    return "".join(line for line in err.splitlines(keepends=True) if ": note: " in line)


def test_the_toolchain_is_the_installed_one() -> None:
    tools = current_toolchain()
    assert tools.typst == metadata.version("typst")
    major, minor, *_ = (int(n) for n in tools.pandoc.split("."))
    assert (major, minor) >= (3, 0), tools.pandoc
    assert len(tools.reference_docx) == 64


def test_manifest_and_lock_name_the_toolchain(tmp_path: Path) -> None:
    repo = Repo.create(tmp_path / "lib")
    assert cli("-C", repo.root, "lock", ACME).code == 0
    built = cli("-C", repo.root, "build", ACME, "--to", "md", "-o", tmp_path / "out")
    assert built.code == 0, built.err
    assert "note:" not in built.err  # built with the toolchain it was locked with
    manifest = json.loads((tmp_path / "out/manifest.json").read_text("utf-8"))
    lock = json.loads(repo.read(ACME_LOCK))
    expected = current_toolchain().as_dict()
    assert manifest["toolchain"] == lock["toolchain"] == expected
    assert set(expected) == {"clausekit", "pandoc", "typst", "reference_docx"}


def test_a_lock_made_with_another_pandoc_builds_with_a_note(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = Repo.create(tmp_path / "lib")
    now = current_toolchain()
    older = now._replace(pandoc="2.19.2")
    with monkeypatch.context() as m:
        m.setattr("clausekit.review.locks.current_toolchain", lambda: older)
        assert cli("-C", repo.root, "lock", ACME).code == 0
    # `lock` again keeps the toolchain it was first locked with; --update moves it on.
    assert cli("-C", repo.root, "lock", ACME).code == 0
    assert json.loads(repo.read(ACME_LOCK))["toolchain"]["pandoc"] == "2.19.2"
    built = cli("-C", repo.root, "build", ACME, "--to", "md", "-o", tmp_path / "out")
    assert built.code == 0, built.err
    assert _notes(built.err) == (
        f"{ACME_LOCK}: note: locked with another toolchain (pandoc 2.19.2 → {now.pandoc}); "
        "its documents may differ from those made when it was locked\n"
    )
    assert cli("-C", repo.root, "lock", "--update", ACME).code == 0
    built = cli("-C", repo.root, "build", ACME, "--to", "md", "-o", tmp_path / "out")
    assert (built.code, _notes(built.err)) == (0, "")


def test_differences_name_each_part() -> None:
    tools = Toolchain("0.1.0", "3.9", "0.15.2", "ab")
    assert tools.differences({"pandoc": "3.8", "typst": "0.15.2", "other": 1}) == [
        "pandoc 3.8 → 3.9"
    ]
