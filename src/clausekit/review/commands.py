"""The review commands behind the CLI: `check --base`, `lock`, `diff`, `redline`.

`cli.py` parses the command line; these functions do the work and print the
results, raising clausekit errors (never tracebacks) for bad input.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import TextIO

from clausekit.errors import ClausekitError, Problem
from clausekit.load.model import Library
from clausekit.review.gitrev import library_at


def version_check(lib: Library, rev: str) -> list[Problem]:
    """`check --base REV`: clauses and templates changed since REV without a proper bump."""
    from clausekit.review.versions import version_problems

    with library_at(lib.root, rev, agreements=False) as base:
        return version_problems(base, lib, rev)


@contextmanager
def _head(lib: Library, rev: str | None) -> Iterator[Library]:
    if rev is None:
        with nullcontext(lib) as same:
            yield same
    else:
        with library_at(lib.root, rev) as head:
            yield head


def lock(lib: Library, agreement_ids: list[str], update: bool, out: TextIO) -> int:
    from clausekit.check import Checked
    from clausekit.review.locks import default_targets, write_lock

    checked = Checked(lib)
    targets = agreement_ids or default_targets(lib)
    if not targets:
        print("nothing to lock: every executed agreement has a lock", file=out)
        return 0
    written = 0
    for aid in targets:
        path, changed = write_lock(checked, aid, update)
        written += changed
        print(f"{'locked' if changed else 'up to date'}: {path}", file=out)
    print(f"{written} written, {len(targets) - written} up to date", file=out)
    return 0


def diff(lib: Library, base_rev: str, head_rev: str | None, fmt: str, out: TextIO) -> int:
    from clausekit.review.report import review
    from clausekit.review.reportmd import to_markdown

    with library_at(lib.root, base_rev) as base, _head(lib, head_rev) as head:
        result = review(base, head, base_rev, head_rev or "working tree")
    if fmt == "json":
        out.write(json.dumps(result.to_json(), ensure_ascii=False, indent=2) + "\n")
    else:
        out.write(to_markdown(result))
    return 0


def redline(
    lib: Library,
    agreement_id: str,
    base_rev: str | None,
    head_rev: str | None,
    outdir: Path,
    author: str,
    out: TextIO,
) -> int:
    """The redline of an agreement against `base_rev`, or (None) against its standard
    clauses: what its deviations change."""
    from clausekit.check import Checked
    from clausekit.review.deviate import without_deviations
    from clausekit.review.locks import assemble_locked
    from clausekit.review.redline import redline_markdown, write_redline

    if base_rev is None:
        standard = without_deviations(lib, agreement_id)
        old = assemble_locked(Checked(standard), agreement_id).markdown
        new = assemble_locked(Checked(lib), agreement_id).markdown
    else:
        old, new = _sides(lib, agreement_id, base_rev, head_rev)
    merged = redline_markdown(old, new)
    paths = write_redline(merged, outdir, agreement_id, author)
    changes = f"{_count(merged.insertions, 'insertion')}, {_count(merged.deletions, 'deletion')}"
    for path in paths:
        print(f"wrote {_shown(lib.root, path)} ({changes})", file=out)
    return 0


def _sides(lib: Library, agreement_id: str, base_rev: str, head_rev: str | None) -> tuple[str, str]:
    from clausekit.check import Checked
    from clausekit.review.locks import assemble_locked

    with library_at(lib.root, base_rev) as base, _head(lib, head_rev) as head:
        if agreement_id not in base.agreements:
            raise ClausekitError(
                f"agreement {agreement_id!r} did not exist at {base_rev!r}: nothing to compare"
            )
        if agreement_id not in head.agreements:
            raise ClausekitError(f"agreement {agreement_id!r} does not exist at {head_rev!r}")
        old = assemble_locked(Checked(base), agreement_id).markdown
        new = assemble_locked(Checked(head), agreement_id).markdown
    return old, new


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _shown(root: Path, path: Path) -> str:
    path = path.resolve()
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
