"""The scripts of the composite action `action.yml`, run by bash as the runner would.

setup-python and the installation from PyPI are GitHub's and pip's; what the action
itself decides (which commands, with which inputs, what it reports and exits with)
runs here on a library fresh from `clausekit init`, with its git history.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import REPO, cli

ACTION = yaml.safe_load((REPO / "action.yml").read_text("utf-8"))
STEPS = {s.get("id", s.get("name")): s for s in ACTION["runs"]["steps"]}
GIT_ENV = {
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.com",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.com",
}


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), *args], check=True, env={**os.environ, **GIT_ENV})


@pytest.fixture
def library(tmp_path: Path) -> Path:
    root = tmp_path / "contracts"
    assert cli("init", root, "--lang", "en").code == 0
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "start")
    return root


def _step(step: str, root: Path, tmp: Path, **inputs: str) -> tuple[int, str, str, str]:
    """Run one step's script; its exit code, output, GITHUB_OUTPUT and summary."""
    out, summary = tmp / "github-output", tmp / "summary"
    out.write_text("")
    summary.write_text("")
    env = {
        **os.environ,
        "BIN": str(Path(sys.executable).parent),
        "GITHUB_OUTPUT": str(out),
        "GITHUB_STEP_SUMMARY": str(summary),
        "NO_MKDOCS_2_WARNING": "1",
        **inputs,
    }
    done = subprocess.run(
        ["bash", "-c", STEPS[step]["run"]],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    return done.returncode, done.stdout + done.stderr, out.read_text(), summary.read_text()


def _change_the_clause(root: Path, bump: bool) -> None:
    clause = root / "clauses/services/fees.md"
    text = clause.read_text("utf-8").replace(
        "within {{ fee.due_days }} days", "promptly, within {{ fee.due_days }} days"
    )
    if bump:
        text = text.replace("version: 1.0.0", "version: 1.1.0").replace(
            "changelog:\n", "changelog:\n  - {version: 1.1.0, date: 2027-01-05, note: Promptly}\n"
        )
    clause.write_text(text, encoding="utf-8")
    _git(root, "commit", "-qam", "change")


def test_review_reports_builds_and_redlines(library: Path, tmp_path: Path) -> None:
    _change_the_clause(library, bump=True)
    code, log, outputs, summary = _step(
        "run",
        library,
        tmp_path,
        COMMAND="review",
        BASE="HEAD~1",
        FORMATS="md,docx",
        OUTPUT="review-dist",
        SHARD="",
        AUTHOR="reviewer",
    )
    assert code == 0, log
    assert outputs == "report=review-dist/review.md\n"
    report = (library / "review-dist/review.md").read_text("utf-8")
    assert "services/fees" in report and "1.1.0" in report
    assert summary == report
    out = library / "review-dist"
    assert (out / "example/service-draft.md").is_file()
    assert (out / "example/service-draft.docx").is_file()
    assert any(p.name.endswith(".redline.docx") for p in out.rglob("*")), sorted(out.rglob("*"))


@pytest.mark.parametrize("kind", ["folder-link", "file-link", "folder"])
def test_review_refuses_an_output_folder_the_repository_holds(
    library: Path, tmp_path: Path, kind: str
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    out = library / "review-dist"
    if kind == "folder-link":
        out.symlink_to(outside)
    else:
        out.mkdir()
        if kind == "file-link":
            (out / "review.md").symlink_to(outside / "stolen.md")
    code, log, _, _ = _step("run", library, tmp_path, COMMAND="review", BASE="HEAD")
    assert code == 1 and "already exists in the repository" in log
    assert list(outside.iterdir()) == []


def test_build_and_redline_refuse_a_linked_output_folder(library: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (library / "review-out").symlink_to(outside)
    agreement = next(p for p in (library / "agreements").rglob("*.yaml"))
    aid = agreement.relative_to(library / "agreements").with_suffix("").as_posix()
    link = library / "review-out"
    for argv in (
        ["build", aid, "--to", "md", "-o", link],
        ["build", "--to", "md", "-o", link / "x"],
        ["redline", aid, "--base", "HEAD", "-o", link],
    ):
        result = cli("-C", library, *argv)
        assert result.code == 1, (argv, result.err)
        assert "is a symbolic link" in result.err and "Traceback" not in result.err
    assert list(outside.iterdir()) == []


def test_check_with_base_fails_on_a_change_without_a_version_bump(
    library: Path, tmp_path: Path
) -> None:
    _change_the_clause(library, bump=False)
    code, log, _, _ = _step("run", library, tmp_path, COMMAND="check", BASE="HEAD~1")
    assert code == 1, log
    assert "::error file=clauses/services/fees.md" in log


def test_build_writes_the_formats(library: Path, tmp_path: Path) -> None:
    code, log, _, _ = _step(
        "run", library, tmp_path, COMMAND="build", FORMATS="md", OUTPUT="", SHARD=""
    )
    assert code == 0, log
    assert sorted(p.name for p in (library / "dist/example").iterdir()) == ["service-draft.md"]


def test_unknown_command_and_review_without_base(library: Path, tmp_path: Path) -> None:
    code, log, _, _ = _step("run", library, tmp_path, COMMAND="deploy")
    assert code == 2
    assert "::error::command: 'deploy' is not one of check, review, build, site" in log
    code, log, _, _ = _step("run", library, tmp_path, COMMAND="review", BASE="")
    assert code == 2
    assert "review needs the base input" in log


def test_install_refuses_a_version_that_is_not_one(library: Path, tmp_path: Path) -> None:
    code, log, _, _ = _step(
        "install",
        library,
        tmp_path,
        VERSION="1.0 ; touch pwned",
        PYTHON=sys.executable,
        VENVS=str(tmp_path / "venvs"),
    )
    assert code == 2
    assert "is neither a version nor 'source'" in log
    assert not (tmp_path / "venvs").exists()
    assert not (library / "pwned").exists()
