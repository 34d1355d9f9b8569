"""The command line: help, version, exit codes, schema, scaffolds."""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from clausekit.arguments import parser
from clausekit.cli import _named_command, parse
from clausekit.errors import UsageError
from clausekit.load import load_library
from clausekit.load.yamlpos import load_yaml
from conftest import REPO, cli, snapshot

COMMANDS = [
    [],
    ["check"],
    ["assemble"],
    ["build"],
    ["schema"],
    ["new"],
    ["new", "clause"],
    ["new", "agreement"],
]


@pytest.mark.parametrize("words", COMMANDS, ids=lambda w: " ".join(w) or "clausekit")
def test_help_on_every_command(words: list[str]) -> None:
    result = cli(*words, "--help")
    assert result.code == 0
    assert "usage: clausekit" in result.out


def test_version() -> None:
    result = cli("--version")
    assert result.code == 0 and result.out.startswith("clausekit 0.")


def _printed(argv: list[str]) -> str:
    """What the whole parser prints for `argv` (--help, --version)."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit):
        parser().parse_args(argv)
    return out.getvalue()


def test_version_is_what_argparse_prints() -> None:
    assert cli("--version").out == _printed(["--version"]) == "clausekit 0.1.0\n"


# Command lines read by the parser of their command alone.
ONE_COMMAND = [
    ["build", "acme/msa", "--to", "docx", "-o", "out"],
    ["-C", "lib", "build", "--blank", "t", "--force", "--wait"],
    ["-Clib", "check", "clauses", "--format", "json"],
    ["--root", "build", "check"],
    ["--root=lib", "dates", "--from", "2026-01-01", "--format", "ics"],
    ["new", "agreement", "a/b", "--template", "t"],
    ["redline", "a", "--standard", "-o", "x"],
    ["receive", "f.docx", "--apply"],
    ["init", "lib", "--lang", "en", "--bare"],
]


@pytest.mark.parametrize("argv", ONE_COMMAND, ids=" ".join)
def test_a_commands_own_parser_reads_what_the_whole_one_reads(argv: list[str]) -> None:
    assert _named_command(argv) == parse(argv).command  # what `parse` sets up alone
    own = parser(parse(argv).command)
    commands = next(a for a in own._actions if isinstance(a, argparse._SubParsersAction))
    assert list(commands.choices) == [parse(argv).command]  # that command's arguments alone
    assert own.parse_args(argv) == parser().parse_args(argv) == parse(argv)


@pytest.mark.parametrize(
    "argv",
    [
        ["build", "--to"],
        ["-C", "lib", "build", "--bogus"],
        ["dates", "--from", "someday"],
        ["redline", "a"],
        ["-C", "lib", "frobnicate"],
        ["-C", "lib"],
        ["--ro", "lib", "build", "--nope"],
    ],
    ids=" ".join,
)
def test_a_bad_command_line_is_told_as_the_whole_parser_tells_it(argv: list[str]) -> None:
    assert _named_command(argv) in (None, "build", "dates", "redline")
    with pytest.raises(UsageError) as whole:
        parser().parse_args(argv)
    with pytest.raises(UsageError) as parsed:
        parse(argv)
    assert str(parsed.value) == str(whole.value)


@pytest.mark.parametrize("argv", [["build", "--help"], ["-C", "x", "new", "clause", "-h"]])
def test_a_commands_help_is_the_whole_parsers(argv: list[str]) -> None:
    assert cli(*argv).out == _printed(argv)
    assert "usage: clausekit " in _printed(argv)


def test_console_script_runs() -> None:
    proc = subprocess.run(
        [Path(sys.executable).parent / "clausekit", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0 and proc.stdout.startswith("clausekit ")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["frobnicate"], "invalid choice"),
        (["check", "--format", "xml"], "invalid choice"),
        (["assemble", "no/such-agreement"], "no agreement 'no/such-agreement'"),
        (["assemble", "../../etc/passwd"], "would leave the repository"),
        (["build", "--to", "odt"], "unknown format odt"),
        (["schema", "Nope"], "invalid id"),
        (["check", "/nonexistent/path"], "no such file or folder"),
    ],
)
def test_bad_command_lines_exit_2(args: list[str], message: str) -> None:
    result = cli("-C", REPO, *args)
    assert result.code == 2, result
    assert message in result.err
    assert "Traceback" not in result.err and len(result.err.splitlines()) == 1


def test_not_a_library_exits_2(tmp_path: Path) -> None:
    result = cli("-C", tmp_path, "check")
    assert result.code == 2 and "not in a clause library" in result.err


def test_agreement_by_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    by_id = cli("assemble", "mutual-nda/2026-shenzhen-hangzhou-final")
    by_path = cli("assemble", "agreements/mutual-nda/2026-shenzhen-hangzhou-final.yaml")
    assert by_id.code == 0 and by_id.out == by_path.out


def test_schema_validates_the_examples() -> None:
    lib = load_library(REPO)
    for template in lib.templates:
        result = cli("-C", REPO, "schema", template)
        assert result.code == 0
        schema = json.loads(result.out)
        Draft202012Validator.check_schema(schema)
        validator = Draft202012Validator(schema)
        for agreement in lib.agreements.values():
            if agreement.template_id == template and agreement.status == "final":
                as_json = json.loads(json.dumps(agreement.doc.value, default=float))
                assert not list(validator.iter_errors(as_json)), agreement.id
        assert schema["properties"]["template"] == {"const": template}
        assert "fee" in schema["properties"]["variables"]["properties"] or template == "mutual-nda"


def test_new_clause_and_agreement_pass_check(tmp_path: Path) -> None:
    for folder in ("clauses", "templates", "agreements"):
        (tmp_path / folder).mkdir()
    for src in (REPO / "clauses" / "common").glob("*.md"):
        (tmp_path / "clauses" / "common").mkdir(exist_ok=True)
        (tmp_path / "clauses" / "common" / src.name).write_bytes(src.read_bytes())
    for name in ("mutual-nda.yaml",):
        (tmp_path / "templates" / name).write_bytes((REPO / "templates" / name).read_bytes())
    for src in (REPO / "clauses" / "nda").glob("*.md"):
        (tmp_path / "clauses" / "nda").mkdir(exist_ok=True)
        (tmp_path / "clauses" / "nda" / src.name).write_bytes(src.read_bytes())
    result = cli("-C", tmp_path, "new", "clause", "nda/extra-term")
    assert result.code == 0, result.err
    assert cli("-C", tmp_path, "new", "clause", "nda/extra-term").code == 2  # never overwrite
    result = cli("-C", tmp_path, "new", "agreement", "acme/2027", "--template", "mutual-nda")
    assert result.code == 0, result.err
    check = cli("-C", tmp_path, "check")
    assert check.code == 0, check.out
    doc = load_yaml((tmp_path / "agreements" / "acme" / "2027.yaml").read_text("utf-8")).value
    assert doc["status"] == "draft" and "party_a" in doc["variables"]


def test_new_clause_shows_the_syntax_as_typed(tmp_path: Path) -> None:
    (tmp_path / "clauses").mkdir()
    assert cli("-C", tmp_path, "new", "clause", "extra").code == 0
    text = (tmp_path / "clauses" / "extra.md").read_text("utf-8")
    assert "{{ 变量名 }}" in text and "'{{'" not in text
    assert "no problems found" in cli("-C", tmp_path, "check").out


@pytest.mark.parametrize("ident", ["a" * 300, "con", "x/aux", "nul", "com1", "lpt9"])
def test_new_clause_refuses_long_and_reserved_ids(tmp_path: Path, ident: str) -> None:
    (tmp_path / "clauses").mkdir()
    result = cli("-C", tmp_path, "new", "clause", ident)
    assert result.code == 2 and "Traceback" not in result.err
    assert len(result.err.strip().splitlines()) == 1 and "invalid id" in result.err
    assert not any((tmp_path / "clauses").iterdir())


def test_check_changes_no_file() -> None:
    before = snapshot(REPO / "clauses")
    assert cli("-C", REPO, "check").code == 0
    assert snapshot(REPO / "clauses") == before
