"""Names checked against the schema, requirements that follow `when`, and the
messages that say how to fix a value (issue: every misspelt name caught).

The golden output of each bad case is in `tests/bad/`; these tests add what a
golden file cannot say: the same problems without any agreement, in English
and bilingual templates, notes for values of left-out clauses, the schema an
editor reads, and a property: a declaration renamed leaves every use an error.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from clausekit.check import Checked
from clausekit.check.analysis import Analysis
from clausekit.check.cache import ResultCache
from clausekit.load import load_library
from conftest import REPO, TESTS, cli, golden, make_library

TYPOS = ("typo-rule", "typo-when", "typo-clause-text", "typo-computed", "typo-nested-list")
LEFT_OUT = TESTS / "names_fixtures" / "left-out"


def _problem_lines(text: str) -> list[str]:
    return text.splitlines()[:-1]


def test_typos_are_caught_without_agreements(tmp_path: Path) -> None:
    for case in TYPOS:
        lib = make_library(tmp_path / case, TESTS / "bad" / case)
        shutil.rmtree(lib / "agreements")
        result = cli("-C", lib, "check")
        expected = (TESTS / "bad" / case / "expected.txt").read_text("utf-8")
        assert result.code == 1, case
        assert _problem_lines(result.out) == _problem_lines(expected), case


def _repo_copy(tmp_path: Path) -> Path:
    lib = tmp_path / "repo"
    for folder in ("clauses", "templates"):
        shutil.copytree(REPO / folder, lib / folder)
    (lib / "agreements").mkdir()
    return lib


def test_english_and_bilingual_text_names_are_checked(tmp_path: Path) -> None:
    lib = _repo_copy(tmp_path)
    assert cli("-C", lib, "check").code == 0
    en = lib / "clauses" / "en" / "term.md"
    text = en.read_text("utf-8")
    assert "term.end" in text
    en.write_text(text.replace("term.end", "term.edn", 1), "utf-8")
    line = next(i for i, t in enumerate(en.read_text("utf-8").split("\n"), 1) if "term.edn" in t)
    col = en.read_text("utf-8").split("\n")[line - 1].index("edn") + 1
    out = cli("-C", lib, "check").out
    want = (
        f"clauses/en/term.md:{line}:{col}: error[unknown-name]: term.edn: "
        "'term' has no 'edn'; did you mean 'end'?"
    )
    # The English template and the bilingual one read the same line: one problem.
    assert out.splitlines().count(want) == 1, out


def test_values_of_a_left_out_clause_are_notes_not_errors(tmp_path: Path) -> None:
    lib = make_library(tmp_path / "lib", LEFT_OUT)
    result = cli("-C", lib, "check", "--format", "json")
    assert result.code == 0, result.out
    data = json.loads(result.out)
    assert data["problems"] == []
    shown = json.dumps(data["notes"], ensure_ascii=False, indent=2) + "\n"
    assert shown == golden(TESTS / "names_fixtures" / "left-out-notes.json", shown)
    assert {n["path"] for n in data["notes"]} == {"agreements/base/off-given.yaml"}
    # Text output has no notes: they are not problems.
    assert cli("-C", lib, "check").out.startswith("no problems found")


def test_values_of_an_included_clause_are_required(tmp_path: Path) -> None:
    lib = make_library(tmp_path / "lib", LEFT_OUT)
    on = lib / "agreements" / "base" / "on.yaml"
    on.write_text(
        (lib / "agreements" / "base" / "off.yaml")
        .read_text("utf-8")
        .replace("enabled: false", "enabled: true"),
        "utf-8",
    )
    lines = cli("-C", lib, "check").out.splitlines()
    assert lines[:-1] == [
        "agreements/base/on.yaml:4:3: error[schema]: variables: required 'seat' is not set",
        "agreements/base/on.yaml:9:16: error[schema]: variables.arbitration: "
        "required 'institution' is not set",
        "agreements/base/on.yaml:9:16: error[schema]: variables.arbitration: "
        "required 'language' is not set",
    ]


def test_schema_says_when_values_are_required(tmp_path: Path) -> None:
    from jsonschema import Draft202012Validator

    lib = make_library(tmp_path / "lib", LEFT_OUT)
    schema = json.loads(cli("-C", lib, "schema", "base").out)
    variables = schema["properties"]["variables"]
    assert "seat" not in variables["required"]
    assert variables["properties"]["arbitration"]["required"] == ["enabled"]
    [rule] = variables["allOf"]
    assert rule["if"]["properties"]["arbitration"]["properties"]["enabled"] == {"const": True}
    validator = Draft202012Validator(schema)
    base = {"template": "base", "status": "final"}
    values = {
        "party_a": {"name": "甲"},
        "party_b": {"name": "乙"},
        "fee": {"total": 1},
        "payment": {"prepay_percent": 1},
        "term": {"start": "2026-01-01", "end": "2026-02-01"},
    }
    off = {**base, "variables": {**values, "arbitration": {"enabled": False}}}
    on = {**base, "variables": {**values, "arbitration": {"enabled": True}}}
    assert validator.is_valid(off)
    assert not validator.is_valid(on)


def test_blank_form_prints_a_list_item_and_choices(tmp_path: Path) -> None:
    lib = make_library(tmp_path / "lib", TESTS / "bad" / "typo-nested-list", LEFT_OUT)
    parties = lib / "clauses" / "base" / "parties.md"
    text = parties.read_text("utf-8")
    text = text.replace("{{ party_a.address.cty }}", "{{ party_a.address.city }}")
    text = text.replace("{{ c.nmae }}", "{{ c.name }}").replace(
        "主联系人：{{ party_a.contacts.name }}", ""
    )
    parties.write_text(text, "utf-8")
    template = lib / "templates" / "base.yaml"
    template.write_text(template.read_text("utf-8").replace(" and term.start.yaer > 2000", ""))
    result = cli("-C", lib, "build", "--blank", "base", "--to", "md", "-o", tmp_path / "out")
    assert result.code == 0, result.out + result.err
    md = (tmp_path / "out" / "blank" / "base.md").read_text("utf-8")
    assert r"联系人：\_\_\_\_\_\_，电话：\_\_\_\_\_\_" in md
    assert "仲裁语言为☐ 中文 ☐ 英文。" in md


def test_new_agreement_lists_every_variable(tmp_path: Path) -> None:
    lib = make_library(tmp_path / "lib", LEFT_OUT)
    assert cli("-C", lib, "new", "agreement", "draft-one", "--template", "base").code == 0
    text = (lib / "agreements" / "draft-one.yaml").read_text("utf-8")
    assert "#   arbitration.enabled: 仲裁 (base/arbitration)" in text
    assert text.index("# Required:") < text.index("  seat:")
    assert re.search(r"^  seat:  # 仲裁地; when arbitration.enabled$", text, re.M)
    assert re.search(r"^    institution:  # 仲裁机构; when arbitration.enabled$", text, re.M)
    assert re.search(r"^    language:  # 仲裁语言; one of 中文, 英文; when", text, re.M)
    assert cli("-C", lib, "check").code == 0


# -- property: a renamed declaration leaves every use an error ---------------------


def _candidates() -> list[tuple[str, str]]:
    """(clause path, variable) pairs of the repository declared in one clause only."""
    lib = load_library(REPO)
    owners: dict[str, set[str]] = {}
    for clause in lib.clauses.values():
        for name in clause.variables:
            owners.setdefault(name, set()).add(clause.id)
    for template in lib.templates.values():
        for name in template.variables:
            owners.setdefault(name, set()).add(template.id)
    used = {e.clause for t in lib.templates.values() for e in t.outline.clause_entries()}
    return sorted(
        (c.source.path, name)
        for c in lib.clauses.values()
        for name in c.variables
        if owners[name] == {c.id} and c.id in used
    )


CANDIDATES = _candidates()


@settings(max_examples=25, deadline=None)
@given(pick=st.sampled_from(CANDIDATES), suffix=st.sampled_from(["_x", "2", "_renamed"]))
def test_renamed_declaration_errors_at_each_use(pick: tuple[str, str], suffix: str) -> None:
    path, name = pick
    with tempfile.TemporaryDirectory() as tmp:
        lib = Path(tmp)
        shutil.copytree(REPO / "clauses", lib / "clauses")
        shutil.copytree(REPO / "templates", lib / "templates")
        target = lib / path
        head, sep, body = target.read_text("utf-8").partition("\n---\n")
        renamed = re.sub(rf"^(\s+){name}:", rf"\g<1>{name}{suffix}:", head, count=1, flags=re.M)
        assert renamed != head
        target.write_text(renamed + sep + body, "utf-8")
        checked = Checked(load_library(lib), ResultCache(None, ""))
        problems = list(checked.static_problems())
    clause = next(c for c in checked.lib.clauses.values() if c.source.path == path)
    analysis = checked.analysis(clause)
    assert isinstance(analysis, Analysis)
    uses = {(clause.body_line + u.line - 1, u.col) for u in analysis.names if u.name == name}
    assert uses
    found = {
        (p.line, p.col)
        for p in problems
        if p.path == path and p.code == "undeclared-variable" and repr(name) in p.message
    }
    assert uses <= found
