"""Received clause changes as the agreement's own wording of each clause.

The paragraphs of a returned document that belong to a clause (after its
heading) are matched with the blocks of the clause text that was sent: the
agreement's deviation when it had one, else the library clause.  A clause
whose printed paragraphs do not match its blocks one to one (a `{% for %}`, a
table) is taken as the literal words the other side left.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from clausekit.errors import ClausekitError
from clausekit.load.model import Agreement, Library, Source
from clausekit.load.yamlpos import YamlError, load_yaml
from clausekit.review.wording import Unit, list_mark, literal, rewrite, units
from clausekit.review.wordread import Paragraph

_ORDERED = re.compile(r"^(\s*)(\d+)(?=[.)]\s)")


def without_deviations(lib: Library, agreement_id: str) -> Library:
    """The library with the agreement's `deviations` left out of its file: the agreement
    as the standard clauses word it.  Its text differs, so nothing derived from the
    agreement itself (cached problems) is taken for the other."""
    agreement = lib.agreements[agreement_id]
    lines = agreement.source.text.split("\n")
    start = next((i for i, x in enumerate(lines) if re.match(r"^deviations:", x)), None)
    if start is None:
        return lib
    end = start + 1
    while end < len(lines) and (not lines[end].strip() or lines[end].startswith((" ", "#"))):
        end += 1
    text = "\n".join(lines[:start] + lines[end:])
    try:
        doc = load_yaml(text)
    except YamlError as exc:
        raise ClausekitError(f"{agreement.source.path}: cannot leave out its deviations") from exc
    if isinstance(doc.value, dict) and "deviations" in doc.value:
        raise ClausekitError(f"{agreement.source.path}: cannot leave out its deviations")
    standard = Agreement(agreement.id, Source(agreement.source.path, text), doc)
    return lib._replace(agreements={**lib.agreements, agreement_id: standard})


@dataclass(frozen=True)
class Aligned:
    """A clause of the sent document: its source blocks and its paragraphs."""

    clause: str
    version: str | None
    blocks: tuple[Unit, ...]
    paragraphs: tuple[int, ...]  # indices of its returned paragraphs, heading excluded
    matched: bool  # each paragraph not added has its block, in order


@dataclass(frozen=True)
class Wording:
    """The clause text the returned document asks for."""

    clause: str
    text: str
    from_version: str | None
    untracked: bool  # it includes edits made without tracking


def aligned_clauses(
    lib: Library, agreement: str, paras: Sequence[Paragraph], owner: Sequence[str | None]
) -> dict[str, Aligned]:
    """Each clause of the sent document with its blocks and paragraphs."""
    own = lib.agreements[agreement].deviations
    members: dict[str, list[int]] = {}
    for i, cid in enumerate(owner):
        if cid is not None:
            members.setdefault(cid, []).append(i)
    out: dict[str, Aligned] = {}
    for cid, found in members.items():
        clause = lib.clauses.get(cid)
        if clause is None:
            continue
        body = own[cid].text if cid in own else clause.body
        blocks = tuple(units(body)) if body.strip() else ()
        body_paras = tuple(found[1:])
        kept = [i for i in body_paras if not paras[i].new]
        out[cid] = Aligned(cid, clause.version, blocks, body_paras, len(kept) == len(blocks))
    return out


def block_of(aligned: Aligned, paras: Sequence[Paragraph], index: int) -> str | None:
    """The source block that printed paragraph `index`, if known."""
    if not aligned.matched or index not in aligned.paragraphs:
        return None
    kept = [i for i in aligned.paragraphs if not paras[i].new]
    return aligned.blocks[kept.index(index)].text if index in kept else None


def preamble(
    lib: Library, agreement: str, paras: Sequence[Paragraph], owner: Sequence[str | None]
) -> Aligned | None:
    """The preamble's blocks matched with the paragraphs before the first numbered
    heading (from the end: the document's title comes first)."""
    found = lib.agreements[agreement]
    template = lib.templates.get(found.template_id)
    first = next((i for i, c in enumerate(owner) if c is not None), len(owner))
    if template is None:
        return None
    blocks: list[Unit] = []
    for entry in template.outline.preamble:
        clause = lib.clauses.get(entry.clause or "")
        if clause is not None:
            own = found.deviations.get(clause.id)
            blocks += units(own.text if own is not None else clause.body)
    kept = [i for i in range(first) if not paras[i].new]
    if not blocks or len(kept) < len(blocks):
        return None
    tail = tuple(i for i in range(first) if i >= kept[-len(blocks)])
    return Aligned("", None, tuple(blocks), tail, True)


def wording(
    aligned: Aligned, paras: Sequence[Paragraph], sent: Sequence[str | None], untracked: bool
) -> Wording:
    """The clause text that prints what the returned paragraphs read with every change
    accepted; `sent[i]` is what paragraph i read when it was sent (None: unknown)."""
    if not aligned.matched:
        words = [literal(paras[i].accepted) for i in aligned.paragraphs if not paras[i].gone]
        text = "\n\n".join(w for w in words if w.strip())
        return Wording(aligned.clause, text, aligned.version, untracked)
    out: list[Unit] = []
    blocks = iter(aligned.blocks)
    last: Unit | None = None  # the source block before, for a list marker
    for i in aligned.paragraphs:
        p = paras[i]
        if p.new:
            mark = list_mark(last) if last is not None else ""
            gap = out[-1].gap if out else "\n\n"
            if out:
                out[-1] = Unit(out[-1].text, "\n" if mark else "\n\n")
            out.append(Unit(mark + literal(p.accepted), gap))
            continue
        block = last = next(blocks)
        if p.gone:
            if out and block.gap == "\n\n":  # it ended its list: the one before does now
                out[-1] = Unit(out[-1].text, block.gap)
            continue
        was = sent[i]
        before = was if was is not None else p.rejected
        text = block.text if p.accepted == before else rewrite(block.text, before, p.accepted)
        out.append(Unit(text, block.gap))
    text = "".join(u.text + (u.gap or "\n\n") for u in _renumbered(out)).strip("\n")
    return Wording(aligned.clause, text, aligned.version, untracked)


def _renumbered(blocks: list[Unit]) -> list[Unit]:
    """Ordered list items numbered 1, 2, 3 again after items were struck or added (Word
    numbers them itself; the source should say what it shows)."""
    out: list[Unit] = []
    n = 0
    for block in blocks:
        m = _ORDERED.match(block.text)
        n = n + 1 if m else 0
        if m:
            block = Unit(f"{m.group(1)}{n}{block.text[m.end(1) + len(m.group(2)) :]}", block.gap)
        out.append(block)
        if block.gap != "\n":
            n = 0
    return out
