"""Values: computed values, rules and `when` in the template's own language."""

from __future__ import annotations

from pathlib import Path

import pytest

from clausekit.assemble import assemble_agreement, left_out
from helpers_lib import checked_library

CLAUSE = """
---
title: {title}
version: 1.0.0
lang: {lang}
---
{{{{ start_text }}}} / {{{{ fee_words }}}} / {{{{ fee_text }}}} / {{{{ rate_text }}}} /
{{{{ rank_text }}}}
"""

TEMPLATE = """
title: T
version: 1.0.0
{lang_line}
variables:
  start: {{type: string, format: date, description: start}}
  fee: {{type: number, format: money, description: fee}}
  rate: {{type: number, format: percent, description: rate}}
  rank: {{type: integer, description: rank}}
computed:
  start_text: "start | date"
  fee_words: "fee | words"
  fee_text: "fee | money"
  rate_text: "rate | percent"
  rank_text: "rank | ordinal"
body:
  - c/terms
"""

AGREEMENT = """
template: t
status: final
variables:
  start: 2026-12-01
  fee: 1234.5
  rate: 12.5
  rank: 2
"""


@pytest.mark.parametrize(
    ("lang", "settings", "expected"),
    [
        (
            "en",
            None,
            "1 December 2026 / one thousand two hundred and thirty-four and 50/100 / "
            "1,234.50 / 12.5% /\n2nd",
        ),
        # A template without `lang` takes clausekit.yml's.
        (
            "en",
            "lang: en\n",
            "1 December 2026 / one thousand two hundred and thirty-four and 50/100 / "
            "1,234.50 / 12.5% /\n2nd",
        ),
        # `words` is English amounts in words whatever the language; the rest is zh.
        (
            "zh-CN",
            None,
            "2026年12月1日 / one thousand two hundred and thirty-four and 50/100 / "
            "1,234.50 / 12.5% /\n第二",
        ),
    ],
)
def test_computed_values_use_the_template_language(
    tmp_path: Path, lang: str, settings: str | None, expected: str
) -> None:
    files = {
        "clauses/c/terms.md": CLAUSE.format(title="Terms", lang=lang),
        "templates/t.yaml": TEMPLATE.format(lang_line="" if settings else f"lang: {lang}"),
        "agreements/a.yaml": AGREEMENT,
    }
    if settings:
        files["clausekit.yml"] = settings
    checked = checked_library(tmp_path, files)
    text = assemble_agreement(checked, "a").markdown
    assert expected in text, text


WHEN = """
title: T
version: 1.0.0
lang: en
numbering: decimal
body:
  - c/base
  - clause: c/extra
    when: "extra"
"""


def test_left_out_follows_each_agreements_values(tmp_path: Path) -> None:
    base = "---\ntitle: Base\nversion: 1.0.0\nlang: en\nvariables:\n"
    base += "  extra: {type: boolean, description: include the extra clause}\n---\n"
    base += "Extra: {{ extra }}.\n"
    checked = checked_library(
        tmp_path,
        {
            "clauses/c/base.md": base,
            "clauses/c/extra.md": "---\ntitle: Extra\nversion: 1.0.0\nlang: en\n---\nMore.\n",
            "templates/t.yaml": WHEN,
            "agreements/on.yaml": "template: t\nstatus: final\nvariables: {extra: true}\n",
            "agreements/off.yaml": "template: t\nstatus: final\nvariables: {extra: false}\n",
            "agreements/draft.yaml": "template: t\nstatus: draft\nvariables: {}\n",
        },
    )
    assert left_out(checked, "on") == frozenset()
    assert left_out(checked, "off") == {"c/extra"}
    assert left_out(checked, "draft") == frozenset()  # a draft shows what it may include
    assert "More." not in assemble_agreement(checked, "off").markdown
