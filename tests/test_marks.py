"""The private-use marks: one registry, no pair shared, none typed by hand elsewhere."""

from __future__ import annotations

import re

from clausekit.language import marks
from conftest import REPO


def test_each_mark_is_used_once_and_reserved() -> None:
    values = [v for k, v in vars(marks).items() if k.isupper() and isinstance(v, str)]
    assert len(values) == len(set(values)) >= 20
    assert all(marks.RESERVED.fullmatch(v) for v in values)


def test_no_module_but_the_registry_writes_a_mark() -> None:
    literal = re.compile(
        r"\\ue0[0-9a-f]{2}|\\U0001000[0-9a-f]|[\ue000-\uf8ff\U00010000-\U000100ff]"
    )
    found = [
        p.relative_to(REPO).as_posix()
        for p in (REPO / "src" / "clausekit").rglob("*.py")
        if p.name != "marks.py" and literal.search(p.read_text("utf-8"))
    ]
    assert found == [], found


def test_private_use_positions() -> None:
    assert list(marks.private_use("ab\nc\ue004d\U00010001")) == [
        (2, 2, "U+E004"),
        (2, 4, "U+10001"),
    ]
