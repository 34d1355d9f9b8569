"""A template's outline: its `preamble`, `body`, `signature` and `annexes` as typed
entries.

Each entry remembers where in the template file it was written (`path`), so a
problem about it points at the right line.  The outline is what the template
*says*; which entries an agreement includes, and their numbers, are assembly's.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, NamedTuple

from clausekit.load.yamlpos import JsonPath


class Entry(NamedTuple):
    """One place in a template: a clause, or a group heading with children."""

    path: JsonPath  # where it is written in the template file
    clause: str | None = None
    heading: str | None = None
    when: str | None = None
    children: tuple[Entry, ...] = ()


class Outline(NamedTuple):
    preamble: tuple[Entry, ...]
    body: tuple[Entry, ...]
    signature: Entry | None
    annexes: tuple[Entry, ...] = ()  # unnumbered, after the signature (exhibits, 附件)

    def clause_entries(self) -> Iterator[Entry]:
        """Every clause entry, in document order."""
        yield from self.preamble
        yield from (e for e in all_entries(self.body) if e.clause)
        if self.signature:
            yield self.signature
        yield from self.annexes

    def conditional(self) -> Iterator[Entry]:
        """Every body entry with a `when`."""
        yield from (e for e in all_entries(self.body) if e.when)


def all_entries(entries: tuple[Entry, ...]) -> Iterator[Entry]:
    """Entries and their children, depth first, in document order."""
    for e in entries:
        yield e
        yield from all_entries(e.children)


def read_outline(data: dict[str, Any], lang: str | None = None) -> Outline:
    """The outline; a group heading given per language (`{zh-CN: …, en: …}`) reads as
    its `lang` text."""
    pre = tuple(
        Entry(("preamble", i), clause=c)
        for i, c in enumerate(data.get("preamble") or [])
        if isinstance(c, str)
    )
    body = tuple(_entries(data.get("body"), ("body",), lang))
    sig = data.get("signature")
    annexes = tuple(
        Entry(("annexes", i), clause=c)
        for i, c in enumerate(data.get("annexes") or [])
        if isinstance(c, str)
    )
    signature = Entry(("signature",), clause=sig) if isinstance(sig, str) else None
    return Outline(pre, body, signature, annexes)


def _entries(items: Any, base: JsonPath, lang: str | None) -> Iterator[Entry]:
    if not isinstance(items, list):
        return
    for i, item in enumerate(items):
        path = (*base, i)
        if isinstance(item, str):
            yield Entry(path, clause=item)
        elif isinstance(item, dict) and isinstance(item.get("clause"), str):
            yield Entry(path, clause=item["clause"], when=_opt_str(item.get("when")))
        elif isinstance(item, dict) and isinstance(item.get("heading"), str | dict):
            children = tuple(_entries(item.get("children"), (*path, "children"), lang))
            heading = _heading(item["heading"], lang)
            yield Entry(path, heading=heading, when=_opt_str(item.get("when")), children=children)


def _opt_str(v: Any) -> str | None:
    return v if isinstance(v, str) else None


def _heading(value: str | dict[str, Any], lang: str | None) -> str:
    if isinstance(value, dict):
        return str(value.get(lang) if lang in value else next(iter(value.values()), ""))
    return value
