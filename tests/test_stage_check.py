"""The check stage on its own: each rule yields its problem at the right place."""

from __future__ import annotations

from pathlib import Path

from clausekit.check import Checked
from clausekit.errors import Problem
from helpers_lib import checked_library

PAY = """
---
title: Payment
version: 1.0.0
lang: en
variables:
  fee: {type: number, format: money, description: the fee}
  unused_one: {type: string, description: never printed}
alternatives: [pay/missing]
---
The fee is {{ fee | money }}.
"""

TEMPLATE = """
title: Services
version: 1.0.0
lang: en
numbering: decimal
variables:
  spare: {type: string, description: declared and used nowhere}
computed:
  first: "second + 1"
  second: "fee * 2"
body:
  - pay/fee
  - pay/fee
  - pay/nowhere
  - clause: pay/zh
    when: "fee > 0 and nothing_here"
"""

ZH = """
---
title: 付款
version: 1.0.0
lang: zh-CN
---
价款另行约定。
"""


def problems_of(checked: Checked) -> list[tuple[str, int, str, str]]:
    found: list[Problem] = sorted(set(checked.static_problems()))
    return [(p.path, p.line, p.code, p.message) for p in found]


def test_every_rule_reports_at_its_line(tmp_path: Path) -> None:
    checked = checked_library(
        tmp_path,
        {
            "clauses/pay/fee.md": PAY,
            "clauses/pay/zh.md": ZH,
            "templates/services.yaml": TEMPLATE,
        },
    )
    found = problems_of(checked)
    assert (
        "clauses/pay/fee.md",
        7,
        "unused-variable",
        "variable 'unused_one' is declared but not used in the clause body",
    ) in found
    assert any(p[0] == "clauses/pay/fee.md" and p[2] == "missing-id" and p[1] == 8 for p in found)
    by_code = {(p[0], p[2], p[1]) for p in found}
    assert ("templates/services.yaml", "duplicate-clause", 12) in by_code
    assert ("templates/services.yaml", "missing-id", 13) in by_code
    assert ("templates/services.yaml", "lang", 14) in by_code
    # A computed value may read only those computed before it.
    assert ("templates/services.yaml", "undeclared-variable", 8) in by_code
    assert ("templates/services.yaml", "undeclared-variable", 9) not in by_code
    # `when` is checked like every expression.
    assert ("templates/services.yaml", "undeclared-variable", 15) in by_code
    assert ("templates/services.yaml", "unused-variable", 6) in by_code


def test_scope_is_derived_once_and_holds_its_clauses_problems(tmp_path: Path) -> None:
    checked = checked_library(
        tmp_path, {"clauses/pay/fee.md": PAY, "templates/services.yaml": TEMPLATE}
    )
    template = checked.lib.templates["services"]
    scope = checked.scope(template)
    assert checked.scope(template) is scope
    assert {p.path for p in scope.problems} == {"clauses/pay/fee.md", "templates/services.yaml"}
    assert not scope.usable  # a missing clause: its schema cannot be trusted


def test_library_is_immutable(tmp_path: Path) -> None:
    checked = checked_library(tmp_path, {"clauses/pay/zh.md": ZH})
    try:
        checked.lib.clauses = {}  # type: ignore[misc]
    except AttributeError:
        return
    raise AssertionError("a loaded Library must not be assignable")
