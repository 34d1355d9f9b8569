"""The result cache saves work and never hides a problem."""

from __future__ import annotations

import json
import marshal
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from clausekit.check import cache
from clausekit.check.cache import ResultCache, digest
from clausekit.check.schemas import PACKAGED, file_validators
from clausekit.errors import Problem, ProblemsFound
from conftest import cli, make_library

CLAUSEKIT = str(Path(sys.executable).parent / "clausekit")


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("CLAUSEKIT_CACHE_DIR", str(folder))
    return folder


def test_a_file_edited_after_a_clean_run_shows_its_problem(tmp_path: Path, cache_dir: Path) -> None:
    lib = make_library(tmp_path / "lib")
    assert cli("-C", lib, "check").code == 0
    assert list(cache_dir.glob("*.json")), "a clean run keeps its results"
    agreement = lib / "agreements" / "base" / "ok.yaml"
    agreement.write_text(
        agreement.read_text("utf-8").replace("total: 100000", "total: -5"), "utf-8"
    )
    result = cli("-C", lib, "check")
    assert result.code == 1
    assert "agreements/base/ok.yaml" in result.out and "not greater than 0" in result.out
    # The clause too: a problem written into a clause body after a clean run.
    fee = lib / "clauses" / "base" / "fee.md"
    fee.write_text(fee.read_text("utf-8") + "\n{{ undeclared_name }}\n", "utf-8")
    assert "undeclared_name" in cli("-C", lib, "check").out


def test_results_are_reused(tmp_path: Path, cache_dir: Path) -> None:
    lib = make_library(tmp_path / "lib")
    assert cli("-C", lib, "check").code == 0
    (file,) = cache_dir.glob("*.json")
    first = file.read_text("utf-8")
    assert cli("-C", lib, "check").code == 0
    assert file.read_text("utf-8") == first  # nothing new to compute


def test_an_upgrade_invalidates_every_result(
    tmp_path: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    schemas = tmp_path / "schemas"
    schemas.mkdir()
    before = cache.salt(schemas, "zh-CN")
    monkeypatch.setattr(cache, "__version__", "99.0.0")
    assert cache.salt(schemas, "zh-CN") != before
    file = cache_dir / "r.json"
    old = ResultCache(file, before)
    old.put(digest("k"), [Problem("a.md", 1, 2, "x", "y")])
    old.save()
    assert ResultCache(file, before).get(digest("k")) == (Problem("a.md", 1, 2, "x", "y"),)
    assert ResultCache(file, cache.salt(schemas, "zh-CN")).get(digest("k")) is None


def test_schema_changes_and_settings_change_the_salt(tmp_path: Path) -> None:
    (tmp_path / "clause.schema.json").write_text("{}", "utf-8")
    one = cache.salt(tmp_path, "zh-CN")
    assert cache.salt(tmp_path, "en") != one
    (tmp_path / "clause.schema.json").write_text('{"type": "object"}', "utf-8")
    assert cache.salt(tmp_path, "zh-CN") != one


def test_caching_can_be_turned_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLAUSEKIT_CACHE_DIR", "off")
    assert cache.cache_folder() is None


def with_schema_folder(lib: Path) -> Path:
    """The library with its own copy of the packaged schema files."""
    shutil.copytree(PACKAGED, lib / "schema")
    return lib / "schema"


def test_a_schema_file_replaced_by_a_link_outside_is_found_after_a_clean_run(
    tmp_path: Path, cache_dir: Path
) -> None:
    lib = make_library(tmp_path / "lib")
    folder = with_schema_folder(lib)
    assert cli("-C", lib, "check").code == 0
    # The same bytes, now through a link leading out of the repository.
    outside = tmp_path / "outside.json"
    shutil.copyfile(folder / "agreement.schema.json", outside)
    (folder / "agreement.schema.json").unlink()
    (folder / "agreement.schema.json").symlink_to(outside)
    result = cli("-C", lib, "check")
    assert result.code == 1
    assert "schema/agreement.schema.json:1:1: error[symlink]:" in result.out + result.err
    off = subprocess.run(
        [CLAUSEKIT, "-C", str(lib), "check"],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "CLAUSEKIT_CACHE_DIR": "off"},
    )
    assert off.returncode == result.code  # the cached run says what a fresh one says


def test_a_schema_file_is_checked_against_the_meta_schema_once_per_text(
    tmp_path: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = with_schema_folder(tmp_path / "lib")
    results = ResultCache(cache_dir / "r.json", "s")
    calls: list[object] = []
    check = Draft202012Validator.iter_errors
    monkeypatch.setattr(
        Draft202012Validator, "iter_errors", lambda *a, **k: calls.append(a) or check(*a, **k)
    )
    # The texts clausekit ships are valid as they are: not checked, nothing kept.
    assert set(file_validators(folder, results)) == {"clause", "template", "agreement"}
    assert calls == [] and results.new_entries() == {}
    monkeypatch.undo()
    for path in folder.glob("*.schema.json"):  # a library's own text, the same schema
        path.write_text(path.read_text("utf-8") + "\n", "utf-8")
    assert set(file_validators(folder, results)) == {"clause", "template", "agreement"}
    kept = results.new_entries()
    assert len(kept) == 3 and all(rows == [] for rows in kept.values())
    # Found valid before: not checked again (the meta-schema is not consulted).
    monkeypatch.setattr(
        Draft202012Validator, "iter_errors", lambda *a, **k: calls.append(a) or iter(())
    )
    file_validators(folder, results)
    assert calls == []
    # A changed text is a new key: checked, and its error reported.
    monkeypatch.undo()
    text = (folder / "clause.schema.json").read_text("utf-8")
    (folder / "clause.schema.json").write_text(text.replace('"object"', '"objekt"', 1), "utf-8")
    with pytest.raises(ProblemsFound, match="not a valid JSON Schema"):
        file_validators(folder, results)


def test_a_damaged_entry_is_a_miss_and_the_problem_is_found_afresh(
    tmp_path: Path, cache_dir: Path
) -> None:
    lib = make_library(tmp_path / "lib")
    agreement = lib / "agreements" / "base" / "ok.yaml"
    agreement.write_text(
        agreement.read_text("utf-8").replace("total: 100000", "total: -5"), "utf-8"
    )
    fresh = cli("-C", lib, "check")
    assert fresh.code == 1 and "not greater than 0" in fresh.out
    # Every kept row damaged under its own key, the salt left as it was.
    (file,) = cache_dir.glob("*.json")
    data = json.loads(file.read_text("utf-8"))
    data["entries"] = {key: [["x"], [None, "y"]] for key in data["entries"]}
    file.write_text(json.dumps(data), "utf-8")
    again = cli("-C", lib, "check")
    assert (again.code, again.out) == (fresh.code, fresh.out)
    assert "Traceback" not in again.err


def test_compiled_bodies_are_kept_and_a_damaged_one_is_compiled_afresh(
    tmp_path: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lib = make_library(tmp_path / "lib")
    first = cli("-C", lib, "assemble", "base/ok")
    assert first.code == 0
    kept = sorted((cache_dir / "code").glob("*.code"))
    assert kept, "a build keeps its clauses' compiled code"
    # The next run compiles nothing: every body is found.
    from jinja2.sandbox import SandboxedEnvironment

    compiled: list[object] = []
    real = SandboxedEnvironment.compile

    def counted(*args: Any, **kwargs: Any) -> Any:
        # A clause body (its file), or an expression (`computed`, a rule: no file).
        compiled.append(kwargs.get("filename") or "<expression>")
        return real(*args, **kwargs)

    monkeypatch.setattr(SandboxedEnvironment, "compile", counted)
    assert cli("-C", lib, "assemble", "base/ok").out == first.out
    assert compiled == []  # bodies and expressions alike
    # A damaged or foreign file is a miss: compiled afresh, the same text printed.
    kept[0].write_bytes(b"\x00not code")
    kept[-1].write_bytes(marshal.dumps(("not", "code")))
    assert cli("-C", lib, "assemble", "base/ok").out == first.out
    assert len(compiled) == (1 if len(kept) == 1 else 2)
    # Another body (an edit) is another key.
    fee = lib / "clauses" / "base" / "fee.md"
    fee.write_text(fee.read_text("utf-8") + "\nAdded sentence.\n", "utf-8")
    assert "Added sentence." in cli("-C", lib, "assemble", "base/ok").out
