"""YAML with positions: safe_load semantics, exact decimals, every value's place."""

from __future__ import annotations

from decimal import Decimal

import pytest

from clausekit.load.yamlpos import Pos, YamlError, load_yaml, split_front_matter


def test_values_and_positions() -> None:
    doc = load_yaml("fee:\n  total: 1234.50\nterm: {start: 2026-12-01}\nlist: [a, 2]\n")
    assert doc.value == {
        "fee": {"total": Decimal("1234.50")},
        "term": {"start": "2026-12-01"},
        "list": ["a", 2],
    }
    assert isinstance(doc.value["fee"]["total"], Decimal)
    assert doc.pos(("fee", "total")) == Pos(2, 10)
    assert doc.pos(("term", "start")) == Pos(3, 15)
    assert doc.pos(("list", 1)) == Pos(4, 11)
    assert doc.key_pos(("fee", "total")) == Pos(2, 3)
    assert doc.pos(("fee", "missing", "deeper")) == Pos(2, 3)  # nearest ancestor


def test_safe_load_semantics() -> None:
    with pytest.raises(YamlError, match="unsupported tag"):
        load_yaml("x: !!python/object/apply:os.system ['true']\n")
    with pytest.raises(YamlError, match="could not determine a constructor"):
        load_yaml("x: !!python/name:os.system\n")
    assert load_yaml("a: yes\nb: ~\nc: 0x10\n").value == {"a": True, "b": None, "c": 16}
    assert load_yaml("base: &b {x: 1}\nderived:\n  <<: *b\n  y: 2\n").value["derived"] == {
        "x": 1,
        "y": 2,
    }


def test_duplicate_keys_and_syntax_errors_have_positions() -> None:
    with pytest.raises(YamlError) as dup:
        load_yaml("a: 1\nb: 2\na: 3\n")
    assert (dup.value.problem.line, dup.value.problem.col) == (3, 1)
    with pytest.raises(YamlError) as bad:
        load_yaml("a: [1, 2\nb: 3\n", line_offset=1)
    assert bad.value.problem.line == 3  # shifted by the offset


def test_alias_bombs_are_refused() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    for i in range(1, 8):
        bomb += f"{chr(97 + i)}: &{chr(97 + i)} [*{chr(96 + i)}" + f", *{chr(96 + i)}" * 9 + "]\n"
    with pytest.raises(YamlError, match="too large"):
        load_yaml(bomb)


def test_front_matter_split_keeps_file_lines() -> None:
    doc = split_front_matter("---\ntitle: 条款\nversion: 1.0.0\n---\n正文第一行\n")
    assert doc is not None
    assert doc.meta.value == {"title": "条款", "version": "1.0.0"}
    assert doc.meta.pos(("version",)) == Pos(3, 10)
    assert doc.body == "正文第一行\n" and doc.body_line == 5
    assert split_front_matter("no front matter\n") is None
