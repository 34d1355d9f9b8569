"""`clausekit check`: the check stage's problems plus what assembling finds.

Static checks (`check.Checked`) see each file once; some problems only show
when a document is put together (a `ref` to a clause that an agreement's `when`
leaves out, a value a filter cannot print), so every blank form and every
agreement is also assembled.  With thousands of agreements, reading and
assembling them is nearly all the work and each is independent: they are
read in forked worker processes, each of which also checks the templates (and
their clauses) that its agreements use.
"""

from __future__ import annotations

import multiprocessing as mp
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import NamedTuple

from clausekit.assemble import Assembled, agreement_checked, agreement_problems, blank_problems
from clausekit.check import Checked
from clausekit.check.cache import Entry
from clausekit.errors import BuildError, ClausekitError, Problem
from clausekit.load import Library
from clausekit.load.model import Agreement
from clausekit.review.locks import is_locked, lock_problems, unlocked_executed

# Below this many agreements, forking costs more than it saves.
PARALLEL_FROM = 200


class Preview(NamedTuple):
    """What the site shows of an assembled agreement (and all it keeps of it)."""

    title: str
    lang: str
    text: str  # as the site's PreviewMaker keeps it (Markdown without front matter)


# Made in the worker that assembled the agreement: converting 10,000 previews to
# HTML is shared out with the assembling.
PreviewMaker = Callable[[Assembled], Preview]


@dataclass(frozen=True)
class Verification:
    problems: tuple[Problem, ...]
    files_read: int
    # With `previews=True`: the text of each unlocked agreement read here, by id.
    previews: dict[str, Preview] = field(default_factory=dict)


def verify(
    checked: Checked, jobs: int | None = None, previews: PreviewMaker | None = None
) -> Verification:
    """Every problem of the library; agreements not read yet are read here.

    With `previews`, each agreement assembled on the way is kept as what it makes
    (the site's previews).
    Agreements are split in contiguous runs (agreements of one template usually sit
    in one folder), and each worker also checks the templates and clauses its
    agreements use: on a large library that work is shared out too.
    """
    lib = checked.lib
    unread = unread_agreements(lib)
    unlocked = [p for p in unread if not is_locked(p)]
    found: set[Problem] = set()
    kept: dict[str, Preview] = {}
    done: set[str] = set()  # templates whose scope and blank form a worker checked
    read = 0
    for answer in _map(_agreements_of(checked, previews), unlocked, jobs or os.cpu_count() or 1):
        found.update(answer.problems)
        read += answer.files_read
        checked.results.add(answer.results)
        kept.update(answer.previews)
        done.update(answer.templates)
    found.update(_static(checked, done))
    locked = [p for p in unread if is_locked(p)]
    found.update(lock_problems(checked, locked))
    checked.results.save(prune=True)  # a whole check used every result still valid
    return Verification(tuple(sorted(found)), lib.files_read + read + len(locked), kept)


def _static(checked: Checked, done: set[str]) -> Iterator[Problem]:
    """What the workers left: load problems, the other templates and their blank
    forms, clauses no checked template uses, agreements read before."""
    lib = checked.lib
    yield from checked.static_problems(done)
    for tid in lib.templates:
        if tid not in done:
            yield from blank_problems(checked, tid)
    for aid, agreement in lib.agreements.items():
        yield from agreement_problems(checked, aid)
        if not is_locked(lib.root / agreement.source.path):
            yield from _unlocked(agreement)


def _unlocked(agreement: Agreement) -> list[Problem]:
    problem = unlocked_executed(agreement)
    return [problem] if problem else []


def unread_agreements(lib: Library) -> list[Path]:
    """The agreement files listed but not read (`load_library(agreements=False)`)."""
    folder = lib.root / "agreements"
    return [
        p
        for p in lib.agreement_files
        if p.relative_to(folder).with_suffix("").as_posix() not in lib.agreements
    ]


class Answer(NamedTuple):
    """What a worker found in its share of the agreements."""

    problems: list[Problem]  # of its agreements, and of the templates they use
    files_read: int
    results: dict[str, Entry]  # new to the result cache
    previews: dict[str, Preview]  # by agreement id (with `previews`)
    templates: set[str]  # whose scope and blank form it checked


Work = Callable[[Sequence[Path]], Answer]


def _agreements_of(checked: Checked, keep: PreviewMaker | None) -> Work:
    def work(paths: Sequence[Path]) -> Answer:
        before = set(checked.lib.agreements)
        more = checked.with_agreements(paths)
        known = set(checked.lib.problems)
        found = [p for p in more.lib.problems if p not in known]
        texts: dict[str, Preview] = {}
        for aid in sorted(set(more.lib.agreements) - before):
            found.extend(_unlocked(more.lib.agreements[aid]))
            if keep is None:
                found.extend(agreement_problems(more, aid))
                continue
            assembled, problems = agreement_checked(more, aid)
            found.extend(problems)
            if assembled is not None:
                texts[aid] = keep(assembled)
        templates = {a.template_id for a in more.lib.agreements.values()} & set(more.lib.templates)
        for tid in sorted(templates):  # their scopes are warm here: check them here
            found.extend(more.scope(more.lib.templates[tid]).problems)
            found.extend(blank_problems(more, tid))
        return Answer(found, len(paths), more.results.new_entries(), texts, templates)

    return work


def _map(work: Work, paths: list[Path], jobs: int) -> list[Answer]:
    """`work` over `paths` split in `jobs` parts, each in a forked process."""
    if jobs < 2 or len(paths) < PARALLEL_FROM or "fork" not in mp.get_all_start_methods():
        return [work(paths)]
    ctx = mp.get_context("fork")
    chunks = [paths[len(paths) * i // jobs : len(paths) * (i + 1) // jobs] for i in range(jobs)]
    pipes = [ctx.Pipe(duplex=False) for _ in chunks]
    procs = [
        ctx.Process(target=_child, args=(work, chunk, send), daemon=True)
        for chunk, (_, send) in zip(chunks, pipes, strict=True)
    ]
    for proc in procs:
        proc.start()
    results: list[Answer] = []
    for proc, (receive, send) in zip(procs, pipes, strict=True):
        send.close()
        try:
            answer = receive.recv()
        except EOFError as exc:  # the worker died before answering
            raise BuildError(f"a check worker exited with code {proc.exitcode}") from exc
        finally:
            proc.join()
        if isinstance(answer, str):
            raise BuildError(answer)
        results.append(answer)
    return results


def _child(work: Work, paths: Sequence[Path], send: Connection) -> None:
    # A forked child: `work` and the warm caches it closes over are the parent's.
    try:
        send.send(work(paths))
    except ClausekitError as exc:  # the parent reports it as one line
        send.send(str(exc))
    finally:
        send.close()


def left_out_notes(checked: Checked) -> list[Problem]:
    """Notes on values given for clauses an agreement leaves out (`check --format json`)."""
    from clausekit.check.values import left_out_notes as notes_of

    more = checked.with_agreements(unread_agreements(checked.lib))
    found: list[Problem] = []
    for agreement in more.lib.agreements.values():
        template = more.lib.templates.get(agreement.template_id)
        values, problems = more.agreement(agreement)
        if template is not None and values is not None and not problems:
            found += notes_of(more.scope(template), agreement, values)
    return sorted(found)
