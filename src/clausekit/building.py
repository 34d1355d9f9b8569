"""`clausekit build` once its command line is parsed, and what other commands share
with it: the library's root, its checked form, a real output folder.

A build that names its agreements reads only those, their template and their clauses
(`named_build`), after asking whether an earlier build kept them (`quick_build`);
otherwise it reads the whole library.  Heavy modules are imported inside functions.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from clausekit.arguments import FORMATS
from clausekit.errors import ClausekitError, ProblemsFound, UsageError

if TYPE_CHECKING:
    from clausekit.check import Checked
    from clausekit.load.kept import KeptParses
    from clausekit.load.model import Library
    from clausekit.publish.quick import QuickBuild
    from clausekit.publish.write import BuildReport


def checked_of(lib: Library) -> Checked:
    """The library with its derived results (`check.Checked`), imported when needed."""
    from clausekit.check import Checked

    return Checked(lib)


def library_root(args: argparse.Namespace) -> Path:
    """The library's root: `-C DIR`, or the folder above the working one that holds it."""
    from clausekit.load.files import find_root

    return find_root(args.root, search_up=False) if args.root else find_root(Path.cwd())


def named_agreements(root: Path, args: argparse.Namespace) -> set[str] | None:
    """The ids `build AGREEMENT…` names, when it builds those alone: the other
    agreements are not read.  None when an argument is not plainly an agreement
    (the full library resolves it, or says why not)."""
    if args.command != "build" or not args.agreements or args.blank:
        return None
    if args.shard is not None or args.changed_since is not None:
        return None
    from clausekit.publish.quick import agreement_id

    ids = {agreement_id(root, arg) for arg in args.agreements}
    return None if None in ids else {i for i in ids if i is not None}


def named_build(
    args: argparse.Namespace, out: TextIO, err: TextIO, quick: QuickBuild | None
) -> int | None:
    """`build AGREEMENT…` from the clauses those agreements use (`load_named`: 20 of
    the 41 clause files for the example NDA); None when the whole library is read: an
    argument that is not plainly an agreement, a lock that cannot be read, or a
    problem to tell (its message may name any clause of the library: did you mean…)."""
    root = library_root(args)
    named = named_agreements(root, args)
    if named is None:
        return None
    from clausekit.load.library import load_named
    from clausekit.review.locks import read_lock

    # A lock's template and clauses are read from the work tree when unchanged.
    clauses: list[str] = []
    templates: list[str] = []
    try:
        for aid in named:
            content = read_lock(root, aid) or {}
            entries = content.get("clauses")
            clauses += [str(cid) for cid in entries] if isinstance(entries, dict) else []
            template = content.get("template")
            templates += [str(template.get("id"))] if isinstance(template, dict) else []
    except ClausekitError:
        return None
    kept = kept_parses()
    lib = load_named(root, named, clauses, templates, kept)
    if lib is None:
        return None
    if kept is not None:
        kept.prune()
    try:
        return build_library(lib, args, out, err, quick)
    except ProblemsFound:
        return None  # nothing was written: told as the whole library tells it


def kept_parses() -> KeptParses | None:
    """The clause and template parses kept in the user cache; None when caching is off."""
    from clausekit.cachefiles import cache_folder
    from clausekit.check.cache import code_salt
    from clausekit.load.kept import KeptParses

    folder = cache_folder()
    return KeptParses(folder / "parsed", code_salt()) if folder is not None else None


def real_folder(outdir: Path, root: Path | None = None) -> Path:
    """The output folder, refused when it or a parent is a symbolic link."""
    from clausekit.load.files import linked_output

    link = linked_output(outdir, Path.cwd(), *([root] if root else []))
    if link is not None:
        raise ClausekitError(
            f"{outdir}: not written: {link} is a symbolic link; give a real folder as output"
        )
    return outdir


def quick_build(args: argparse.Namespace) -> QuickBuild | None:
    """Named agreements, nothing else: they may be kept from an earlier build."""
    if args.blank or args.shard is not None or args.changed_since is not None:
        return None
    from clausekit.publish.quick import QuickBuild, Request

    formats = formats_of(args)
    output = real_folder(args.output, args.root) if args.output else None
    request = Request(args.agreements, formats, output, args.force, args.wait)
    return QuickBuild.start(library_root(args), request)


def formats_of(args: argparse.Namespace) -> set[str]:
    """`--to`'s formats; a usage error names any it does not know."""
    formats = {f.strip() for f in args.to.split(",") if f.strip()}
    unknown = formats - set(FORMATS)
    if unknown or not formats:
        raise UsageError(
            f"--to: unknown format {', '.join(sorted(unknown)) or '(none)'}; "
            f"choose from {', '.join(FORMATS)}"
        )
    return formats


def build_library(
    lib: Library, args: argparse.Namespace, out: TextIO, err: TextIO, quick: QuickBuild | None
) -> int:
    """`clausekit build` of a loaded library: what it names (everything when it names
    nothing), a shard of it, or what changed since a revision; `quick` remembers the
    documents for the next build of the same agreements."""
    from clausekit.load import resolve_arg
    from clausekit.publish.build import build, default_outdir

    formats = formats_of(args)
    agreements = [resolve_arg(lib, a, "agreements") for a in args.agreements]
    blanks = [resolve_arg(lib, t, "templates") for t in args.blank]
    if not agreements and not blanks:
        agreements, blanks = sorted(lib.agreements), sorted(lib.templates)
    if args.shard is not None:
        from clausekit.publish.selection import shard_ids

        agreements, blanks = shard_ids(args.shard, agreements, blanks)
    outdir = real_folder(args.output or default_outdir(lib), lib.root)
    checked = checked_of(lib)
    if args.changed_since is None:
        report = build(
            checked, agreements, blanks, formats, outdir, args.force, err, wait=args.wait
        )
    else:
        from clausekit.publish.selection import build_changed

        report = build_changed(
            checked,
            args.changed_since,
            agreements,
            blanks,
            formats,
            outdir,
            out,
            err,
            args.wait,
            args.force,
        )
    if quick is not None:
        settings = lib.settings
        quick.remember(report.documents, settings.output, settings.fonts.get("paths"))
    for note in report.notes:
        print(note, file=err)
    return told_built(lib.root, report, out)


def told_built(root: Path, report: BuildReport, out: TextIO) -> int:
    """The build's last line: how many files were written, how many were up to date."""
    path = report.outdir.resolve()
    where = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
    print(f"{len(report.built)} written, {len(report.unchanged)} up to date in {where}", file=out)
    return 0
