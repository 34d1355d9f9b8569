"""`clausekit build AGREEMENT` reads the clauses that agreement uses (`load_named`):
each clause it reads is the one `load_library` gives, with the same translations, and
a problem is told as the whole library tells it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from clausekit.load import load_library
from clausekit.load.library import load_named
from clausekit.load.model import Library
from conftest import REPO, cli

NDA = "mutual-nda/2026-shenzhen-hangzhou-final"
EXAMPLES = sorted(load_library(REPO).agreements)


def _copy(dest: Path) -> Path:
    for name in ("agreements", "clauses", "templates", "schema"):
        shutil.copytree(REPO / name, dest / name)
    return dest


def _translations(lib: Library, cid: str) -> dict[str, str]:
    return {lang: c.id for lang, c in lib.translations.get(cid, {}).items()}


def _same_clauses(named: Library, whole: Library) -> None:
    assert list(named.clauses) == [c for c in whole.clauses if c in named.clauses]
    for cid, clause in named.clauses.items():
        other = whole.clauses[cid]
        assert clause.source == other.source and clause.data == other.data
        assert (clause.body, clause.body_line) == (other.body, other.body_line)
        assert _translations(named, cid) == _translations(whole, cid), cid


@pytest.mark.parametrize("aid", EXAMPLES)
def test_each_clause_read_for_an_agreement_is_the_librarys(aid: str) -> None:
    whole, named = load_library(REPO), load_named(REPO, {aid})
    assert named is not None
    template = whole.templates[whole.agreements[aid].template_id]
    used = {e.clause for e in template.outline.clause_entries()}
    assert used <= set(named.clauses)
    _same_clauses(named, whole)
    assert set(named.agreements) == {aid} and list(named.templates) == [template.id]
    assert named.templates[template.id].source == template.source
    assert named.problems == whole.problems == ()


def test_an_agreement_reads_its_clauses_and_their_translations_alone() -> None:
    named = load_named(REPO, {NDA})
    assert named is not None
    assert "nda/purpose" in named.clauses and "training/scope" not in named.clauses
    # The English translations of the shared clauses are read: a scope's key names them.
    assert _translations(named, "common/confidentiality-zh") == {"en": "en/confidentiality"}
    assert len(named.clauses) < len(load_library(REPO).clauses) // 2 + 1


def test_a_translation_spelt_with_an_escape_is_found(tmp_path: Path) -> None:
    lib = _copy(tmp_path / "lib")
    text = (lib / "clauses/nda/term.md").read_text("utf-8")
    escaped = text.replace("lang: zh-CN", '"tr\\u0061nslates": {clause: nda/term}\nlang: en', 1)
    assert escaped != text
    (lib / "clauses/zz/term-en.md").parent.mkdir()
    (lib / "clauses/zz/term-en.md").write_text(escaped, "utf-8")
    whole, named = load_library(lib), load_named(lib, {NDA})
    assert named is not None and _translations(whole, "nda/term") == {"en": "zz/term-en"}
    _same_clauses(named, whole)


def test_an_unknown_agreement_or_template_reads_the_whole_library(tmp_path: Path) -> None:
    lib = _copy(tmp_path / "lib")
    assert load_named(lib, {"no/such"}) is None
    path = lib / "agreements" / f"{NDA}.yaml"
    path.write_text(path.read_text("utf-8").replace("template: mutual-nda", "template: x"))
    assert load_named(lib, {NDA}) is None


def test_a_problem_is_told_as_the_whole_library_tells_it(tmp_path: Path) -> None:
    lib = _copy(tmp_path / "lib")
    template = lib / "templates/mutual-nda.yaml"
    # A clause the agreement does not use is the closest id: only the library knows it.
    template.write_text(template.read_text("utf-8").replace("- nda/purpose", "- training/scop"))
    built = cli("-C", lib, "build", NDA, "--to", "md", "-o", tmp_path / "out")
    assert built.code == 1 and "did you mean 'training/scope'?" in built.err, built.err
    checked = cli("-C", lib, "check", template)
    assert checked.out.splitlines()[0] in built.err.splitlines()
    assert not (tmp_path / "out").exists()


def test_a_broken_clause_the_agreement_does_not_use_changes_nothing(tmp_path: Path) -> None:
    lib = _copy(tmp_path / "lib")
    first = cli("-C", lib, "build", NDA, "--to", "md", "-o", tmp_path / "a")
    (lib / "clauses/training/zz-broken.md").write_text("---\ntitle: [oops\n---\nx\n", "utf-8")
    again = cli("-C", lib, "build", NDA, "--to", "md", "-o", tmp_path / "b")
    assert first.code == again.code == 0, again.err
    md = f"{NDA}.md"
    assert (tmp_path / "a" / md).read_bytes() == (tmp_path / "b" / md).read_bytes()
