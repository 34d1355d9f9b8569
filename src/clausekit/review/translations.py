"""Translations a change leaves behind: their source moved, they did not.

`clausekit check` fails such a translation (`translation-outdated`); the review
report lists the ones this change made outdated, so a reviewer sees which
translations a pull request still owes before it can merge.
"""

from __future__ import annotations

from dataclasses import dataclass

from clausekit.load.model import Library


@dataclass(frozen=True)
class Behind:
    """A translation that names an older version of its source than the head has."""

    id: str  # the translation
    lang: str
    source: str  # the clause it translates
    translated: str  # the version it names
    current: str  # the source's version at the head


def left_behind(base: Library, head: Library) -> list[Behind]:
    """Translations whose source's version changed between base and head, while their
    `translates.version` still names another version."""
    out: list[Behind] = []
    for cid, clause in sorted(head.clauses.items()):
        named = clause.translates
        source = head.clauses.get(named[0]) if named else None
        if named is None or source is None or source.version in (None, named[1]):
            continue
        before = base.clauses.get(source.id)
        if before is not None and before.version == source.version:
            continue  # outdated already before this change: not this change's doing
        out.append(Behind(cid, clause.lang or "", source.id, named[1], str(source.version)))
    return out
