"""Numbers: computed here, once, for assembly, the site and the DOCX writer.

A number is a path of ordinals, `(5, 2, 3)` = the third item of the second
section of article five.  Template entries are numbered in document order;
a clause's own sub-headings continue below its number.  Which entries count
is the caller's decision (`include`): an agreement leaves out what its `when`
conditions leave out, a blank form shows everything.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from clausekit.assemble.numbering import MAX_LEVEL, heading_prefix, reference
from clausekit.load.model import Template
from clausekit.load.outline import Entry


class Counters:
    """Heading counters: `next(level)` counts one more heading at that level."""

    def __init__(self, start: tuple[int, ...] = ()) -> None:
        self._counts = [*start, *([0] * (MAX_LEVEL - len(start)))]

    def next(self, level: int) -> tuple[int, ...]:
        self._counts[level - 1] += 1
        self._counts[level:] = [0] * (MAX_LEVEL - level)
        return tuple(self._counts[:level])


class Numbered(NamedTuple):
    """A template entry with its number, heading prefix (`一、`) and reference (`第一条`)."""

    entry: Entry
    number: tuple[int, ...]
    prefix: str
    ref: str

    @property
    def level(self) -> int:
        return len(self.number)


def number_entries(
    template: Template, include: Callable[[Entry], bool] = lambda _: True
) -> list[Numbered]:
    """The body entries that `include` keeps, in document order, with their numbers."""
    style = template.numbering
    counters = Counters()
    out: list[Numbered] = []

    def walk(entries: tuple[Entry, ...], level: int) -> None:
        for entry in entries:
            if not include(entry):
                continue
            number = counters.next(level)
            out.append(
                Numbered(entry, number, heading_prefix(style, number), reference(style, number))
            )
            walk(entry.children, level + 1)

    walk(template.outline.body, 1)
    return out
