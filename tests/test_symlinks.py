"""Symbolic links: a library file or folder that resolves outside the repository is an
error and is never read; links that stay inside are ordinary files. Real links, the real
`clausekit` command in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from site_fixtures import copy_library, mkdocs_build

CLAUSEKIT = str(Path(sys.executable).parent / "clausekit")
SECRET = "CI-SECRET-7f3a"
AID = "customer-service-training/2026-shenzhen-final"


def run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [CLAUSEKIT, "-C", str(root), *args], capture_output=True, text=True, check=False
    )


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder beside the repository holding a file that looks like a clause."""
    folder = tmp_path / "outside"
    folder.mkdir()
    clause = (tmp_path / "lib" / "clauses" / "common" / "breach-zh.md").read_text("utf-8")
    (folder / "breach-zh.md").write_text(clause.replace("违约", SECRET, 1), "utf-8")
    (folder / "agreement.yaml").write_text("template: mutual-nda\n", "utf-8")
    return folder


@pytest.fixture
def lib(tmp_path: Path) -> Path:
    return copy_library(tmp_path / "lib", downloads=False)


def test_clause_file_linked_outside_is_an_error_and_not_read(lib: Path, outside: Path) -> None:
    target = lib / "clauses" / "common" / "breach-zh.md"
    target.unlink()
    target.symlink_to(outside / "breach-zh.md")
    proc = run(lib, "check")
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert (
        "clauses/common/breach-zh.md:1:1: error[symlink]: is a symbolic link that resolves "
        "outside the repository; it is not read"
    ) in proc.stdout
    assembled = run(lib, "assemble", AID)
    assert SECRET not in assembled.stdout + assembled.stderr


def test_folder_linked_outside_is_an_error(lib: Path, outside: Path) -> None:
    (lib / "agreements" / "elsewhere").symlink_to(outside)
    (lib / "templates" / "t").symlink_to(outside)
    proc = run(lib, "check")
    assert proc.returncode == 1
    lines = [ln for ln in proc.stdout.splitlines() if "error[symlink]" in ln]
    assert [ln.split(":")[0] for ln in lines] == ["agreements/elsewhere", "templates/t"]
    assert "agreement.yaml" not in proc.stdout  # nothing below the link was listed


def test_links_inside_the_repository_are_fine(lib: Path) -> None:
    (lib / "shared").mkdir()
    (lib / "clauses" / "common" / "breach-zh.md").rename(lib / "shared" / "breach-zh.md")
    os.symlink("../../shared/breach-zh.md", lib / "clauses" / "common" / "breach-zh.md")
    (lib / "clauses" / "again").symlink_to(lib / "clauses" / "nda")  # a linked folder
    (lib / "clauses" / "loop").symlink_to(lib / "clauses")  # a cycle ends
    proc = run(lib, "check")
    # clauses/again/* duplicate nda clauses under new ids: only the usual "unused" info.
    assert "error[symlink]" not in proc.stdout
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assembled = run(lib, "assemble", AID)
    assert assembled.returncode == 0
    assert "违约" in assembled.stdout


def test_schema_and_lock_linked_outside(lib: Path, outside: Path) -> None:
    (outside / "clause.schema.json").write_text('{"type": "object"}', "utf-8")
    schema = lib / "schema" / "clause.schema.json"
    schema.unlink()
    schema.symlink_to(outside / "clause.schema.json")
    proc = run(lib, "check")
    assert proc.returncode == 1
    assert "schema/clause.schema.json:1:1: error[symlink]:" in proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    schema.unlink()
    schema.symlink_to(lib / "schema" / "template.schema.json")  # inside: read as usual
    assert "error[symlink]" not in run(lib, "check").stdout
    schema.unlink()
    (lib / "schema" / "clause.schema.json").write_bytes(
        (lib / "schema" / "template.schema.json").read_bytes()
    )


def test_lock_linked_outside(lib: Path, outside: Path) -> None:
    assert run(lib, "lock", AID).returncode == 0
    lock = lib / "agreements" / f"{AID}.lock.json"
    (outside / "x.lock.json").write_bytes(lock.read_bytes())
    lock.unlink()
    lock.symlink_to(outside / "x.lock.json")
    proc = run(lib, "check")
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert f"{AID}.lock.json:1:1: error[lock]: is a symbolic link that resolves outside" in (
        proc.stdout + proc.stderr
    )


def test_settings_paths_outside(lib: Path, tmp_path: Path) -> None:
    (lib / "clausekit.yml").write_text("lang: zh-CN\noutput: ../elsewhere\n", "utf-8")
    proc = run(lib, "build", "--to", "md")
    assert proc.returncode == 1
    assert "clausekit.yml:1:1: error[symlink]: output '../elsewhere' resolves outside" in (
        proc.stderr
    )
    assert not (tmp_path / "elsewhere").exists()
    (lib / "out").symlink_to(tmp_path)
    (lib / "clausekit.yml").write_text("lang: zh-CN\noutput: out\n", "utf-8")
    assert run(lib, "build", "--to", "md").returncode == 1
    (lib / "clausekit.yml").write_text("lang: zh-CN\nfonts: {paths: /usr/share/fonts}\n", "utf-8")
    proc = run(lib, "build", "--to", "md")
    assert proc.returncode == 1
    assert "error[symlink]: fonts.paths '/usr/share/fonts' resolves outside" in proc.stderr


def test_site_refuses_a_docs_page_linked_outside(lib: Path, outside: Path, tmp_path: Path) -> None:
    (outside / "secret.md").write_text(f"# {SECRET}\n", "utf-8")
    (lib / "docs" / "secret.md").symlink_to(outside / "secret.md")
    built = mkdocs_build(lib, tmp_path / "site")
    assert built.code != 0
    assert "docs/secret.md:1:1: error[symlink]:" in built.output
    assert "Traceback" not in built.output
    assert not any(SECRET in p.read_text("utf-8") for p in (tmp_path / "site").rglob("*.html"))


def test_base_revision_with_an_escaping_link_is_one_error(tmp_path: Path) -> None:
    # A small library whose base commit held a clause linked to a file outside.
    from conftest import TESTS, cli, make_library

    root = make_library(tmp_path / "lib", TESTS / "bad" / "_base")
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@e",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@e",
    }

    def git(*args: str) -> None:
        subprocess.run(["git", "-C", str(root), *args], check=True, env=env, capture_output=True)

    evil = root / "clauses" / "base" / "evil.md"
    git("init", "-q")
    evil.symlink_to("/etc/passwd")
    git("add", "-A")
    git("commit", "-qm", "base")
    evil.unlink()
    git("commit", "-qam", "head")
    out = tmp_path / "out"
    for argv in (
        ["check", "--base", "HEAD~1"],
        ["diff", "--base", "HEAD~1"],
        ["build", "--changed-since", "HEAD~1", "--to", "md", "-o", str(out)],
        ["redline", "base/ok", "--base", "HEAD~1", "-o", str(out)],
    ):
        result = cli("-C", root, *argv)
        lines = (result.out + result.err).strip().splitlines()
        assert result.code == 1 and "Traceback" not in result.err, (argv, result)
        assert lines[0].startswith("clauses/base/evil.md:1:1: error[symlink]: at "), lines
    assert not out.exists() or not any(out.rglob("*.md"))
