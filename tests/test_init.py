"""`clausekit init`: a new library that checks, builds and publishes at once."""

from __future__ import annotations

import datetime
import hashlib
import subprocess
from pathlib import Path

import pytest

from clausekit.starter import LANGS, starter_files
from clausekit.starter import write as write_mod
from conftest import cli
from render_fixtures.helpers import docx_text, pdf_text, squash
from site_fixtures import mkdocs_build
from starter_helpers import (
    AMOUNT_WORDS,
    BARE,
    BLANK,
    COMMON,
    EXAMPLES,
    HOME_TEXT,
)


def _files(root: Path) -> set[str]:
    return {
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if p.is_file() and ".git" not in p.relative_to(root).parts[:1]
    }


def _hashes(root: Path) -> dict[str, str]:
    """Every file below root, .git included, with its sha256."""
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module", params=LANGS)
def started(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp(f"init-{request.param}") / "contracts"
    result = cli("init", root, "--lang", request.param)
    assert result.code == 0, result.err
    assert result.err == ""
    return root


def _lang(root: Path) -> str:
    return "en" if "lang: en" in (root / "clausekit.yml").read_text("utf-8") else "zh-CN"


def test_init_writes_the_library_and_a_git_repository(started: Path) -> None:
    lang = _lang(started)
    assert _files(started) == COMMON | EXAMPLES[lang]
    assert (started / ".git").is_dir()
    head = subprocess.run(
        ["git", "-C", str(started), "symbolic-ref", "HEAD"], capture_output=True, text=True
    )
    assert head.stdout.strip() == "refs/heads/main"
    # Every file written is ignored by nothing: all of it goes into the first commit.
    ignored = subprocess.run(
        ["git", "-C", str(started), "status", "--porcelain", "--untracked-files=all"],
        capture_output=True,
        text=True,
        check=True,
    )
    listed = {line[3:] for line in ignored.stdout.splitlines()}
    assert listed == _files(started)


def test_check_and_build_right_after_init(started: Path) -> None:
    lang = _lang(started)
    check = cli("-C", started, "check")
    assert check.code == 0, check.out + check.err
    assert "no problems found in 3 files checked" in check.out
    build = cli("-C", started, "build", "--to", "md,docx,pdf")
    assert build.code == 0, build.err
    dist = started / "dist"
    md = (dist / "example/service-draft.md").read_text("utf-8")
    assert AMOUNT_WORDS[lang] in md
    assert BLANK[lang] in md  # the provider's name is not filled in yet
    pdf = squash("".join(pdf_text((dist / "example/service-draft.pdf").read_bytes())))
    assert squash(AMOUNT_WORDS[lang]) in pdf
    paragraphs, _ = docx_text((dist / "example/service-draft.docx").read_bytes())
    title = "服务费用及支付" if lang == "zh-CN" else "Fees and Payment"
    assert any(s == "Heading 1" and t.endswith(title) for s, t in paragraphs), paragraphs
    assert (dist / "blank/service-agreement.pdf").is_file()


def test_site_right_after_init(started: Path, tmp_path: Path) -> None:
    built = mkdocs_build(started, tmp_path / "site")
    assert built.code == 0, built.output
    home = (tmp_path / "site/index.html").read_text("utf-8")
    assert HOME_TEXT[_lang(started)] in home  # the hand-written home page is kept
    assert (tmp_path / "site/library/index.html").is_file()
    assert (tmp_path / "site/library/agreements/example/service-draft/index.html").is_file()


def test_a_second_init_refuses_and_changes_nothing(tmp_path: Path) -> None:
    root = tmp_path / "contracts"
    assert cli("init", root).code == 0
    before = _hashes(root)
    # In English: 11 of its 12 files are in the way; the 12th (the English
    # clause) is not written either.
    again = cli("init", root, "--lang", "en")
    assert again.code == 1
    assert again.out == ""
    [line] = again.err.splitlines()
    assert line.startswith(f"clausekit: error: {root}: 11 files in the way, nothing written: ")
    for rel in COMMON | (EXAMPLES["zh-CN"] & EXAMPLES["en"]):
        assert rel in line
    assert _hashes(root) == before


def test_files_in_the_way_stop_everything(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("ours\n", encoding="utf-8")
    (tmp_path / "docs").write_text("a file where a folder goes\n", encoding="utf-8")
    result = cli("init", tmp_path, "--bare")
    assert result.code == 1
    assert result.err == (
        f"clausekit: error: {tmp_path}: 2 files in the way, nothing written: "
        "README.md, docs/index.md\n"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["README.md", "docs"]
    assert (tmp_path / "README.md").read_text("utf-8") == "ours\n"


def test_a_file_that_appears_while_writing_undoes_the_rest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As if README.md appeared between the check and the write: it is kept, and
    # every file and folder written before it is removed again.
    (tmp_path / "README.md").write_text("ours\n", encoding="utf-8")
    monkeypatch.setattr(write_mod, "_in_the_way", lambda root, rel: False)
    result = cli("init", tmp_path)
    assert result.code == 1
    assert result.err == (
        f"clausekit: error: {tmp_path / 'README.md'}: appeared while writing; nothing written\n"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["README.md"]
    assert (tmp_path / "README.md").read_text("utf-8") == "ours\n"


def test_bare_leaves_out_the_examples(tmp_path: Path) -> None:
    root = tmp_path / "contracts"
    result = cli("init", root, "--bare", "--lang", "en")
    assert result.code == 0, result.err
    assert _files(root) == COMMON | BARE
    assert "lang: en" in (root / "clausekit.yml").read_text("utf-8")
    check = cli("-C", root, "check")
    assert (check.code, check.out.strip()) == (0, "no problems found in 0 files checked")
    build = cli("-C", root, "build")
    assert (build.code, build.out.strip()) == (0, "0 written, 0 up to date in dist")


def test_bare_site_builds(tmp_path: Path) -> None:
    root = tmp_path / "contracts"
    assert cli("init", root, "--bare").code == 0
    built = mkdocs_build(root, tmp_path / "site")
    assert built.code == 0, built.output


def test_unknown_language_is_a_usage_error(tmp_path: Path) -> None:
    result = cli("init", tmp_path / "x", "--lang", "fr")
    assert result.code == 2
    assert "invalid choice: 'fr'" in result.err
    assert not (tmp_path / "x").exists()


def test_inside_a_git_repository_no_second_repository(tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    result = cli("init", tmp_path / "legal" / "contracts")
    assert result.code == 0, result.err
    assert not (tmp_path / "legal/contracts/.git").exists()
    assert "new git repository" not in result.out
    # Then the library is found from inside it, as in any repository.
    assert cli("-C", tmp_path / "legal/contracts", "check").code == 0


def test_init_needs_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "no-tools"))
    result = cli("init", tmp_path / "contracts")
    assert result.code == 3
    assert "git is not installed" in result.err
    assert not (tmp_path / "contracts").exists()


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("bare", [False, True])
def test_every_placeholder_is_filled_in(lang: str, bare: bool) -> None:
    files = starter_files(lang, bare, datetime.date(2027, 1, 2))
    for rel, text in files.items():
        assert "@@" not in text, rel
    if not bare:
        clause = next(t for r, t in files.items() if r.startswith("clauses/"))
        assert "date: 2027-01-02" in clause
