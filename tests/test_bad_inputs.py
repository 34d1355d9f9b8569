"""Golden error output for a corpus of bad inputs (tests/bad/<case>/).

Each case is a small library: `tests/bad/_base` with the case's files copied
over it.  `expected.txt` is the exact output of `clausekit check`, reviewed
by eye when written.  Every case must exit 1, print no traceback and change
no file.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import TESTS, cli, golden, make_library, snapshot

CASES = sorted(p for p in (TESTS / "bad").iterdir() if p.is_dir() and p.name != "_base")


def test_base_library_is_clean(base_library: Path) -> None:
    result = cli("-C", base_library, "check")
    assert result.code == 0, result.out
    assert result.out.startswith("no problems found")


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input(case: Path, tmp_path: Path) -> None:
    lib = make_library(tmp_path / "lib", case)
    (lib / "expected.txt").unlink(missing_ok=True)
    before = snapshot(lib)
    result = cli("-C", lib, "check")
    assert result.code == 1
    assert "Traceback" not in result.out + result.err
    assert result.out == golden(case / "expected.txt", result.out)
    assert snapshot(lib) == before, "check must not change any file"
    # Every line but the summary has the PATH:LINE:COL: error[CODE]: form.
    for line in result.out.splitlines()[:-1]:
        path, line_no, col, rest = line.split(":", 3)
        assert (lib / path).is_file() and int(line_no) >= 1 and int(col) >= 1
        assert rest.startswith(" error[")


@pytest.mark.parametrize("case", CASES[:3], ids=[c.name for c in CASES[:3]])
def test_bad_input_json_and_github(case: Path, tmp_path: Path) -> None:
    lib = make_library(tmp_path / "lib", case)
    (lib / "expected.txt").unlink(missing_ok=True)
    text = cli("-C", lib, "check").out.splitlines()
    data = json.loads(cli("-C", lib, "check", "--format", "json").out)
    assert len(data["problems"]) == len(text) - 1
    assert data["summary"] == text[-1]
    assert {"path", "line", "col", "code", "message"} <= set(data["problems"][0])
    gh = cli("-C", lib, "check", "--format", "github").out.splitlines()
    assert all(line.startswith("::error file=") for line in gh[:-1])
    assert len(gh) == len(text)


def test_assemble_of_bad_agreement_writes_nothing(tmp_path: Path) -> None:
    lib = make_library(tmp_path / "lib", TESTS / "bad" / "negative-fee")
    (lib / "expected.txt").unlink(missing_ok=True)
    before = snapshot(lib)
    result = cli("-C", lib, "assemble", "base/ok")
    assert result.code == 1 and result.out == ""
    assert result.err.splitlines()[0] == (
        "agreements/base/ok.yaml:6:16: error[schema]: variables.fee.total: -5 is not greater than 0"
    )
    out = tmp_path / "dist"
    assert cli("-C", lib, "build", "base/ok", "--to", "md", "-o", out).code == 1
    assert not out.exists() or not any(out.rglob("*.md"))
    assert snapshot(lib) == before


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_build_tells_what_assemble_tells(case: Path, tmp_path: Path) -> None:
    """`build` renders an agreement while its template and clauses are checked, in a
    second thread: for every bad input it tells the problems `assemble` (checks
    first, then rendering) tells, exits as it does, and leaves no output folder."""
    lib = make_library(tmp_path / "lib", case)
    (lib / "expected.txt").unlink(missing_ok=True)
    before = snapshot(lib)
    for n, path in enumerate(sorted((lib / "agreements").rglob("*.yaml"))):
        aid = path.relative_to(lib / "agreements").with_suffix("").as_posix()
        out = tmp_path / f"out{n}" / "dist"
        built = cli("-C", lib, "build", aid, "--to", "md,docx", "-o", out)
        assembled = cli("-C", lib, "assemble", aid)
        assert "Traceback" not in built.out + built.err
        assert built.code == assembled.code
        if built.code == 1:
            assert built.err == assembled.err
            assert not (tmp_path / f"out{n}").exists()
    assert snapshot(lib) == before


def test_check_given_paths_reports_only_those(tmp_path: Path) -> None:
    lib = make_library(tmp_path / "lib", TESTS / "bad" / "ref-money-date")
    result = cli("-C", lib, "check", lib / "clauses")
    assert result.code == 1
    assert all(line.startswith("clauses/") for line in result.out.splitlines()[:-1])


def test_broken_schema_file_is_reported(tmp_path: Path) -> None:
    lib = make_library(tmp_path / "lib")
    (lib / "schema").mkdir()
    for name in ("clause", "template"):
        src = TESTS.parent / "schema" / f"{name}.schema.json"
        (lib / "schema" / src.name).write_bytes(src.read_bytes())
    (lib / "schema" / "agreement.schema.json").write_text('{"type": "object",\n  "x": }\n')
    result = cli("-C", lib, "check")
    assert result.code == 1
    assert result.err.startswith("schema/agreement.schema.json:2:8: error[schema-file]:")
    assert "Traceback" not in result.err


def test_naming_an_agreement_whose_file_cannot_be_read(tmp_path: Path) -> None:
    """Its problems, as `check` tells them, not "no agreement" (a file that is there)."""
    lib = make_library(tmp_path / "lib", TESTS / "bad" / "ref-money-date")
    for command in ("build", "assemble"):
        result = cli("-C", lib, command, "base/dup")
        assert result.code == 1, command
        assert result.err.splitlines()[0] == (
            "agreements/base/dup.yaml:3:1: error[yaml]: duplicate key 'status'"
        )
    assert not (lib / "dist").exists()
    assert cli("-C", lib, "build", "base/none").code == 2  # no such file: a usage error
