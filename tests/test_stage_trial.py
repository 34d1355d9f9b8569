"""`check` renders every agreement once, for what only its values can break; an
agreement of a fixed layout (no `when`, no `{% %}`) leaves its headings, numbers
and references to the template's blank form.  Together they find exactly what a
full trial rendering of each agreement finds."""

from __future__ import annotations

from pathlib import Path

import pytest

from clausekit.assemble import agreement_problems, assembly, blank_problems
from clausekit.check import Checked
from clausekit.errors import Problem
from clausekit.load import load_library
from helpers_lib import checked_library

REPO = Path(__file__).resolve().parents[1]

FEE = """
---
title: Payment
version: 1.0.0
lang: en
variables:
  payee:
    type: object
    description: who is paid
    properties:
      name: {type: string, description: the name}
      fax: {type: string, description: a fax number}
    required: [name]
---
Pay {{ payee.name }}, fax {{ payee.fax }}; see {{ ref('pay/fee#deep') }}.

# Deep {#deep}

## Deeper

### Deepest

#### Too deep
"""

FILES = {
    "clauses/pay/fee.md": FEE,
    "templates/pay.yaml": """
        title: Payment terms
        version: 1.0.0
        lang: en
        numbering: decimal
        body: [pay/fee]
    """,
    "agreements/pay/final.yaml": """
        template: pay
        status: final
        variables: {payee: {name: ACME}}
    """,
    "agreements/pay/with-fax.yaml": """
        template: pay
        status: final
        variables: {payee: {name: ACME, fax: "0755 1234"}}
    """,
    "agreements/pay/draft.yaml": """
        template: pay
        status: draft
        variables: {}
    """,
}


def full_trial(checked: Checked, aid: str) -> set[Problem]:
    """Every problem a whole rendering of the agreement finds, layout included."""
    agreement = checked.lib.agreements[aid]
    values, found = checked.agreement(agreement)
    template = checked.lib.templates[agreement.template_id]
    scope = checked.scope(template)
    if values is not None and not scope.problems:
        found += assembly._render(checked, scope, values, "", None, True)[1]
    return set(found)


def codes(problems: set[Problem] | list[Problem]) -> list[str]:
    return sorted(p.code for p in problems)


def test_values_are_still_rendered_and_the_layout_is_the_blank_forms(tmp_path: Path) -> None:
    checked = checked_library(tmp_path, FILES)
    blank = set(blank_problems(checked, "pay"))
    assert codes(blank) == ["heading-depth"]  # the layout's problem, once, at the clause
    # A final agreement without the fax it prints: what its values break is found.
    missing = agreement_problems(Checked(checked.lib), "pay/final")
    assert codes(missing) == ["render"]
    assert missing[0].path == "clauses/pay/fee.md" and "fax" in missing[0].message
    assert agreement_problems(Checked(checked.lib), "pay/with-fax") == []
    assert agreement_problems(Checked(checked.lib), "pay/draft") == []  # a blank


@pytest.mark.parametrize("root", ["fixture", "examples"])
def test_check_finds_what_a_full_trial_rendering_finds(tmp_path: Path, root: str) -> None:
    lib = checked_library(tmp_path, FILES).lib if root == "fixture" else load_library(REPO)
    for aid, agreement in sorted(lib.agreements.items()):
        blank = set(blank_problems(Checked(lib), agreement.template_id))
        quick = set(agreement_problems(Checked(lib), aid))
        assert quick | blank == full_trial(Checked(lib), aid) | blank, aid
