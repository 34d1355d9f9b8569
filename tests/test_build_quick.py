"""`clausekit build AGREEMENT` from the document an earlier build assembled
(`publish.quick`): the same files as the full build, and a miss whenever any
input changed.  Real `clausekit` processes, each with its own cache folder."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from site_fixtures import copy_library

PYTHON = sys.executable
AID = "mutual-nda/2026-shenzhen-hangzhou-final"
# Runs the command line, then says which of the full build's modules it imported.
PROBE = (
    "import sys; from clausekit.cli import run; code = run(sys.argv[1:], sys.stdout, sys.stderr);"
    "print('FULL' if 'clausekit.load.library' in sys.modules or 'jinja2' in sys.modules"
    " else 'QUICK'); sys.exit(code)"
)


@pytest.fixture
def lib(tmp_path: Path) -> Path:
    return copy_library(tmp_path / "lib", downloads=False)


def build(lib: Path, cache: Path | str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CLAUSEKIT_CACHE_DIR": str(cache)}
    cmd = [PYTHON, "-c", PROBE, "-C", str(lib), "build", *args]
    return subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)


def way(proc: subprocess.CompletedProcess[str]) -> str:
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc.stdout.strip().splitlines()[-1]


def outputs(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.name.startswith(".")
    }


def test_a_kept_document_builds_the_same_files_without_the_loader(
    lib: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    first = build(lib, cache, AID, "--to", "docx,md", "-o", str(tmp_path / "a"))
    assert first.returncode == 0 and way(first) == "FULL"
    again = build(lib, cache, AID, "--to", "docx,md", "-o", str(tmp_path / "b"))
    assert again.returncode == 0 and way(again) == "QUICK"
    assert "1 written" not in again.stdout and "2 written, 0 up to date" in again.stdout
    off = build(lib, "off", AID, "--to", "docx,md", "-o", str(tmp_path / "c"))
    assert way(off) == "FULL"
    assert outputs(tmp_path / "a") == outputs(tmp_path / "b") == outputs(tmp_path / "c")
    # By path, as a shell completes it, too.
    path = str(lib / "agreements" / f"{AID}.yaml")
    assert way(build(lib, cache, path, "--to", "md", "-o", str(tmp_path / "d"))) == "QUICK"


@pytest.mark.parametrize(
    ("edit", "seen"),
    [
        ("clauses/nda/purpose.md", "EDITED-CLAUSE"),
        ("templates/mutual-nda.yaml", None),
        (f"agreements/{AID}.yaml", "EDITED-VALUE"),
    ],
)
def test_any_changed_input_is_assembled_again(
    lib: Path, tmp_path: Path, edit: str, seen: str | None
) -> None:
    cache = tmp_path / "cache"
    assert build(lib, cache, AID, "--to", "md", "-o", str(tmp_path / "a")).returncode == 0
    path = lib / edit
    text = path.read_text("utf-8")
    if seen == "EDITED-CLAUSE":
        text = text.rstrip() + "\n\nEDITED-CLAUSE\n"
    elif seen == "EDITED-VALUE":
        text = text.replace("深圳", "EDITED-VALUE深圳", 1)
        assert "EDITED-VALUE" in text
    else:
        text += "\n# a comment changes the file's bytes, not its meaning\n"
    path.write_text(text, "utf-8")
    proc = build(lib, cache, AID, "--to", "md", "-o", str(tmp_path / "b"))
    assert proc.returncode == 0 and way(proc) == "FULL"
    md = (tmp_path / "b" / f"{AID}.md").read_text("utf-8")
    if seen:
        assert seen in md
    # The document assembled afresh is kept in its turn.
    assert way(build(lib, cache, AID, "--to", "md", "-o", str(tmp_path / "c"))) == "QUICK"


def test_other_agreements_do_not_matter_but_a_new_clause_file_or_lock_does(
    lib: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    out = str(tmp_path / "out")
    assert build(lib, cache, AID, "--to", "md", "-o", out).returncode == 0
    other = lib / "agreements" / "mutual-nda" / "2026-draft.yaml"
    other.write_text(other.read_text("utf-8") + "\n# edited\n", "utf-8")
    assert way(build(lib, cache, AID, "--to", "md", "-o", out)) == "QUICK"
    (lib / "clauses" / "nda" / "new.md").write_text("---\ntitle: x\n---\nx\n", "utf-8")
    assert way(build(lib, cache, AID, "--to", "md", "-o", out)) == "FULL"
    env = {**os.environ, "CLAUSEKIT_CACHE_DIR": str(cache)}
    clausekit = str(Path(PYTHON).parent / "clausekit")
    subprocess.run([clausekit, "-C", str(lib), "lock", AID], env=env, check=True)
    assert way(build(lib, cache, AID, "--to", "md", "-o", out)) == "FULL"


def git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@t", *args],
        check=True,
        capture_output=True,
    )


def test_a_lock_whose_version_is_gone_from_history_is_refused_as_by_a_full_build(
    lib: Path, tmp_path: Path
) -> None:
    cache, out = tmp_path / "cache", str(tmp_path / "out")
    clausekit = str(Path(PYTHON).parent / "clausekit")
    env = {**os.environ, "CLAUSEKIT_CACHE_DIR": str(cache)}
    git(lib, "init", "-q")
    git(lib, "add", "-A")
    git(lib, "commit", "-q", "-m", "library")
    subprocess.run([clausekit, "-C", str(lib), "lock", AID], env=env, check=True)
    build(lib, cache, AID, "--to", "md", "-o", out)
    # Every locked version is the file as it is: kept, as without a lock.
    assert way(build(lib, cache, AID, "--to", "md", "-o", out)) == "QUICK"
    clause = lib / "clauses" / "nda" / "purpose.md"
    clause.write_text(clause.read_text("utf-8") + "\n本款另有补充。\n", "utf-8")
    git(lib, "commit", "-q", "-am", "purpose edited after the lock")
    first = build(lib, cache, AID, "--to", "md", "-o", out)
    assert first.returncode == 0 and way(first) == "FULL"  # the locked text, from history
    assert "本款另有补充" not in (tmp_path / "out" / f"{AID}.md").read_text("utf-8")
    shutil.rmtree(lib / ".git")  # the locked version is in no history any more
    fresh = build(lib, "off", AID, "--to", "md", "-o", str(tmp_path / "fresh"))
    assert fresh.returncode == 1 and "nor any version of it in git history" in fresh.stderr
    again = build(lib, cache, AID, "--to", "md", "-o", out)
    assert again.returncode == fresh.returncode and way(again) == "FULL"
    assert "nor any version of it in git history" in again.stderr


def test_a_problem_made_after_the_document_was_kept_is_reported(lib: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    assert build(lib, cache, AID, "--to", "md", "-o", str(tmp_path / "a")).returncode == 0
    agreement = lib / "agreements" / f"{AID}.yaml"
    agreement.write_text(agreement.read_text("utf-8") + "unknown_field_xyz: 1\n", "utf-8")
    proc = build(lib, cache, AID, "--to", "md", "-o", str(tmp_path / "b"))
    assert proc.returncode == 1 and way(proc) == "FULL"
    assert f"agreements/{AID}.yaml:" in proc.stderr
    assert not (tmp_path / "b" / f"{AID}.md").exists()


def test_a_clause_linked_outside_is_never_read_from_the_cache_either(
    lib: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    assert build(lib, cache, AID, "--to", "md", "-o", str(tmp_path / "a")).returncode == 0
    outside = tmp_path / "outside.md"
    target = lib / "clauses" / "nda" / "purpose.md"
    outside.write_bytes(target.read_bytes())
    target.unlink()
    target.symlink_to(outside)
    kept = build(lib, cache, AID, "--to", "md", "-o", str(tmp_path / "b"))
    fresh = build(lib, "off", AID, "--to", "md", "-o", str(tmp_path / "c"))
    assert way(kept) == way(fresh) == "FULL"
    assert kept.returncode == fresh.returncode
    assert outputs(tmp_path / "b") == outputs(tmp_path / "c")


def test_no_cache_folder_no_kept_documents(lib: Path, tmp_path: Path) -> None:
    assert build(lib, "off", AID, "--to", "md", "-o", str(tmp_path / "a")).returncode == 0
    assert way(build(lib, "off", AID, "--to", "md", "-o", str(tmp_path / "b"))) == "FULL"


def test_kept_documents_read_back_equal() -> None:
    import json

    from clausekit.assemble.model import Assembled
    from clausekit.check import Checked
    from clausekit.load import load_library
    from clausekit.review.locks import assemble_locked

    checked = Checked(load_library(Path(__file__).resolve().parents[1]))
    for aid in sorted(checked.lib.agreements):
        doc = assemble_locked(checked, aid)
        assert Assembled.from_data(json.loads(json.dumps(doc.as_data()))) == doc, aid


def test_a_bilingual_agreement_kept_builds_the_same_docx(lib: Path, tmp_path: Path) -> None:
    aid = "customer-service-training-bilingual/2026-draft"
    cache = tmp_path / "cache"
    assert way(build(lib, cache, aid, "--to", "docx", "-o", str(tmp_path / "a"))) == "FULL"
    assert way(build(lib, cache, aid, "--to", "docx", "-o", str(tmp_path / "b"))) == "QUICK"
    assert outputs(tmp_path / "a") == outputs(tmp_path / "b")


def test_only_the_documents_written_last_are_kept(tmp_path: Path) -> None:
    from clausekit.check import Checked
    from clausekit.load import load_library
    from clausekit.publish.quick import DocumentCache
    from clausekit.publish.write import Document
    from clausekit.review.locks import assemble_locked

    checked = Checked(load_library(Path(__file__).resolve().parents[1]))
    cache = DocumentCache(checked.lib.root, tmp_path / "kept")
    ids = sorted(checked.lib.agreements)[:5]
    for n, aid in enumerate(ids):
        doc = Document(aid, "agreement", aid, assemble_locked(checked, aid))
        cache.put(doc, f"key{n}", {"output": "dist"})
        entry = next(p for p in (tmp_path / "kept").glob("*.json") if aid in p.read_text())
        os.utime(entry, ns=(n * 10**9, n * 10**9))  # written in this order
    cache.prune(keep=3)
    assert [cache.get(aid, f"key{n}") is not None for n, aid in enumerate(ids)] == [
        False,
        False,
        True,
        True,
        True,
    ]


def test_a_named_build_reads_no_other_agreement(
    lib: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from clausekit.load import library
    from conftest import cli

    monkeypatch.setenv("CLAUSEKIT_CACHE_DIR", "off")
    read: list[str] = []
    real = library._load_yaml_file

    def counted(reader: object, path: Path, folder: str) -> None:
        read.append(path.relative_to(lib).as_posix())
        real(reader, path, folder)  # type: ignore[arg-type]

    monkeypatch.setattr(library, "_load_yaml_file", counted)
    result = cli("-C", lib, "build", AID, "--to", "md", "-o", tmp_path / "a")
    assert result.code == 0, result.err
    assert [p for p in read if p.startswith("agreements/")] == [f"agreements/{AID}.yaml"]
    assert any(p.startswith("templates/") for p in read)
    # The same text as a build that reads them all (no agreement named: every one).
    read.clear()
    assert cli("-C", lib, "build", "--to", "md", "-o", tmp_path / "b").code == 0
    assert len([p for p in read if p.startswith("agreements/")]) > 1
    one = (tmp_path / "a" / f"{AID}.md").read_bytes()
    assert one == (tmp_path / "b" / f"{AID}.md").read_bytes()
    # A name that is not plainly an agreement goes to the full library, which says so.
    missing = cli("-C", lib, "build", "mutual-nda/nope", "--to", "md", "-o", tmp_path / "c")
    assert missing.code == 2 and "no agreement 'mutual-nda/nope'" in missing.err


def test_the_key_holds_while_every_file_and_folder_it_read_is_unchanged(
    lib: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After a build, its kept document's key is checked again by the identities of
    what the key read: a clause written, or a clause file added to a folder, during
    the build makes the key be computed again; a file written within the clock tick
    before the build always does."""
    from clausekit.publish import digests
    from clausekit.publish.quick import DocumentCache

    monkeypatch.setenv("CLAUSEKIT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(digests, "SETTLED_NS", -(10**12))  # every file counts as settled

    def cache() -> DocumentCache:
        found = DocumentCache.open(lib)
        assert found is not None and found.key(AID) is not None
        return found

    assert cache().unchanged()
    touched = cache()
    clause = next((lib / "clauses").rglob("*.md"))
    clause.write_text(clause.read_text("utf-8") + "\n", "utf-8")
    assert not touched.unchanged()
    added = cache()
    (clause.parent / "new-clause.md").write_text("---\ntitle: x\n---\nx\n", "utf-8")
    assert not added.unchanged()
    monkeypatch.setattr(digests, "SETTLED_NS", 10**12)  # nothing counts as settled
    assert not cache().unchanged()
