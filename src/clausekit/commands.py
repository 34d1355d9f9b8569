"""What each `clausekit` command does, once its command line is parsed
(`clausekit.cli.run` parses it and calls `dispatch`).

Heavy modules are imported inside the commands that use them.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from clausekit.arguments import FORMATS
from clausekit.errors import ClausekitError, ProblemsFound, UsageError, format_problems

if TYPE_CHECKING:
    from clausekit.check import Checked
    from clausekit.load.kept import KeptParses
    from clausekit.load.model import Library
    from clausekit.publish.quick import QuickBuild
    from clausekit.publish.write import BuildReport


def _checked(lib: Library) -> Checked:
    from clausekit.check import Checked

    return Checked(lib)


def _root(args: argparse.Namespace) -> Path:
    from clausekit.load.files import find_root

    return find_root(args.root, search_up=False) if args.root else find_root(Path.cwd())


def _library(args: argparse.Namespace) -> Library:
    from clausekit.load import load_library, read_agreements

    root = _root(args)
    named = _named_agreements(root, args)
    if named is None:
        # `check` reads agreements itself, in parallel; other commands need them now.
        return load_library(root, agreements=args.command != "check")
    from clausekit.ids import id_for

    lib = load_library(root, agreements=False)  # listed (links confined), not read
    folder = root / "agreements"
    return read_agreements(
        lib, [p for p in lib.agreement_files if id_for(p, folder, ".yaml") in named]
    )


def _named_agreements(root: Path, args: argparse.Namespace) -> set[str] | None:
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


def dispatch(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    if args.command == "import":
        return _cmd_import(args, out)
    if args.command == "init":  # the one command that needs no library yet
        return _init(args, out)
    if args.command == "manifest":  # needs output folders, not a library
        from clausekit.publish.selection import join_manifests, manifest_text

        out.write(manifest_text(join_manifests(args.folders)))
        return 0
    if args.command == "pages":  # loads and checks the library itself
        return _pages(args, out)
    quick = _quick_build(args) if args.command == "build" else None
    if quick is not None:
        report = quick.run(err)
        if report is not None:  # every agreement was kept from an earlier build
            return _built(quick.cache.root, report, out)
    if args.command == "build":
        built = _named_build(args, out, err, quick)
        if built is not None:
            return built
    lib = _library(args)
    if args.command == "check":
        return _check(lib, args, out)
    if args.command == "assemble":
        from clausekit.assemble import assemble_agreement
        from clausekit.load import resolve_arg
        from clausekit.review.locks import locked

        aid = resolve_arg(lib, args.agreement, "agreements")
        out.write(assemble_agreement(locked(_checked(lib), aid), aid).markdown)
        return 0
    if args.command == "schema":
        import json

        from clausekit.load import resolve_arg

        template = lib.templates[resolve_arg(lib, args.template, "templates")]
        schema = _checked(lib).composed_schema(template)
        out.write(json.dumps(schema, ensure_ascii=False, indent=2) + "\n")
        return 0
    if args.command == "receive":
        return _receive(lib, args, out)
    if args.command == "dates":
        return _dates(lib, args, out)
    if args.command in ("lock", "diff", "redline"):
        return _review(lib, args, out)
    if args.command == "new":
        from clausekit.scaffold import new_agreement, new_clause

        path = (
            new_clause(lib, args.id, args.lang)
            if args.kind == "clause"
            else new_agreement(lib, args.name, args.template)
        )
        print(f"created {path.relative_to(lib.root).as_posix()}", file=out)
        return 0
    return _build(lib, args, out, err, quick)


def _named_build(
    args: argparse.Namespace, out: TextIO, err: TextIO, quick: QuickBuild | None
) -> int | None:
    """`build AGREEMENT…` from the clauses those agreements use (`load_named`: 20 of
    the 41 clause files for the example NDA); None when the whole library is read: an
    argument that is not plainly an agreement, a lock that cannot be read, or a
    problem to tell (its message may name any clause of the library: did you mean…)."""
    root = _root(args)
    named = _named_agreements(root, args)
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
    kept = _kept_parses()
    lib = load_named(root, named, clauses, templates, kept)
    if lib is None:
        return None
    if kept is not None:
        kept.prune()
    try:
        return _build(lib, args, out, err, quick)
    except ProblemsFound:
        return None  # nothing was written: told as the whole library tells it


def _kept_parses() -> KeptParses | None:
    """The clause and template parses kept in the user cache; None when caching is off."""
    from clausekit.cachefiles import cache_folder
    from clausekit.check.cache import code_salt
    from clausekit.load.kept import KeptParses

    folder = cache_folder()
    return KeptParses(folder / "parsed", code_salt()) if folder is not None else None


def _pages(args: argparse.Namespace, out: TextIO) -> int:
    from clausekit.publish.pages import PagesRequest, write_site_pages

    root = _root(args)
    written = write_site_pages(
        PagesRequest(root, args.out, args.prefix, args.downloads, args.engine)
    )
    where = written.folder.resolve()
    shown = where.relative_to(root).as_posix() if where.is_relative_to(root) else str(where)
    print(f"wrote {len(written.files)} files in {shown}/", file=out)
    if written.removed:
        print(f"removed {len(written.removed)} files no longer generated", file=out)
    print(f"nav fragment to paste into mkdocs.yml: {shown}/.nav.yml", file=out)
    return 0


def _cmd_import(args: argparse.Namespace, out: TextIO) -> int:
    from .importer import import_contract

    root = _root(args)
    file = Path(args.file)
    return import_contract(
        root, file, args.file, args.template, args.prefix, args.lang, args.dry_run, out
    )


def _init(args: argparse.Namespace, out: TextIO) -> int:
    from clausekit.starter import init_library

    target = (args.root or Path.cwd()) / args.dir
    result = init_library(target, args.lang, args.bare)
    print(f"created a clause library in {result.root}:", file=out)
    for rel in result.written:
        print(f"  {rel}", file=out)
    if result.git_init:
        print("  (and a new git repository)", file=out)
    print("next: clausekit check, clausekit build, mkdocs serve; see README.md", file=out)
    return 0


def _check(lib: Library, args: argparse.Namespace, out: TextIO) -> int:
    from clausekit.publish.verify import verify

    # A bad revision fails before the (possibly long) check of the whole library.
    versions = []
    if args.base is not None:
        from clausekit.review.commands import version_check

        versions = version_check(lib, args.base)
    checked = _checked(lib)
    result = verify(checked)
    problems = sorted({*result.problems, *versions})
    if args.paths:
        wanted = [_rel(lib, p) for p in args.paths]
        problems = [p for p in problems if any(_under(p.path, w) for w in wanted)]
    from clausekit.check.clauses import markup_notes

    notes = [n for n in markup_notes(lib.clauses.values()) if _wanted(lib, args, n.path)]
    if args.format == "json":
        from clausekit.publish.verify import left_out_notes

        notes += [n for n in left_out_notes(checked) if _wanted(lib, args, n.path)]
    print(format_problems(problems, args.format, result.files_read, notes), file=out)
    return 1 if problems else 0


def _dates(lib: Library, args: argparse.Namespace, out: TextIO) -> int:
    from clausekit.check.schedule import library_dates
    from clausekit.publish import calendar

    if args.start and args.end and args.start > args.end:
        raise UsageError(f"dates: --from {args.start} is after --to {args.end}")
    dues, problems = library_dates(_checked(lib), args.drafts)
    if problems:
        raise ProblemsFound(problems)  # nothing listed from a library with errors
    dues = calendar.within(dues, args.start, args.end)
    if args.format == "ics":
        name = lib.root.name + " key dates"
        out.write(calendar.as_ics(dues, name).decode("utf-8"))
    else:
        out.write(calendar.as_json(dues) if args.format == "json" else calendar.as_text(dues))
    return 0


def _wanted(lib: Library, args: argparse.Namespace, path: str) -> bool:
    return not args.paths or any(_under(path, _rel(lib, p)) for p in args.paths)


def _review(lib: Library, args: argparse.Namespace, out: TextIO) -> int:
    from clausekit.load import resolve_arg
    from clausekit.review import commands

    if args.command == "lock":
        ids = [resolve_arg(lib, a, "agreements") for a in args.agreements]
        return commands.lock(lib, ids, args.update, out)
    if args.command == "diff":
        return commands.diff(lib, args.base, args.head, args.format, out)
    outdir = _real_folder(args.output or _default_outdir(lib), lib.root)
    aid = resolve_arg(lib, args.agreement, "agreements")
    if args.standard and args.head is not None:
        raise UsageError("redline: --standard compares the work tree; leave out --head")
    return commands.redline(lib, aid, args.base, args.head, outdir, args.author, out)


def _receive(lib: Library, args: argparse.Namespace, out: TextIO) -> int:
    import json

    from clausekit.load import resolve_arg
    from clausekit.review.receive import receive, report_text

    aid = resolve_arg(lib, args.agreement, "agreements") if args.agreement else None
    result = receive(lib, args.file, aid)
    if args.accept_untracked and not args.apply:
        raise UsageError("--accept-untracked goes with --apply")
    agreement = lib.agreements[result.agreement]
    if args.apply:
        from clausekit.review.apply import apply_received

        done = apply_received(lib.root, agreement, result, args.accept_untracked)
        values, deviations, held = done.values, done.deviations, done.held
    else:
        values, deviations, held = (), (), ()
    if args.format == "json":
        applied = {"applied": list(values), "deviations": list(deviations), "held": list(held)}
        data = {**result.to_json(), **applied}
        out.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return 0
    out.write(report_text(result))
    where = agreement.source.path
    for name in values:
        print(f"applied: {name} in {where}", file=out)
    for cid in deviations:
        print(f"applied: {cid} as a deviation in {where}", file=out)
    for cid in held:
        print(f"not applied: {cid} was changed without tracking (--accept-untracked)", file=out)
    return 0


def _real_folder(outdir: Path, root: Path | None = None) -> Path:
    """The output folder, refused when it or a parent is a symbolic link."""
    from clausekit.load.files import linked_output

    link = linked_output(outdir, Path.cwd(), *([root] if root else []))
    if link is not None:
        raise ClausekitError(
            f"{outdir}: not written: {link} is a symbolic link; give a real folder as output"
        )
    return outdir


def _default_outdir(lib: Library) -> Path:
    from clausekit.publish.build import default_outdir

    return default_outdir(lib)


def _rel(lib: Library, arg: str) -> str:
    path = Path(arg).resolve()
    if not path.exists():
        raise UsageError(f"{arg}: no such file or folder")
    if not path.is_relative_to(lib.root):
        raise UsageError(f"{arg}: outside the library {lib.root}")
    return path.relative_to(lib.root).as_posix()


def _under(path: str, wanted: str) -> bool:
    return wanted in ("", ".") or path == wanted or path.startswith(wanted.rstrip("/") + "/")


def _quick_build(args: argparse.Namespace) -> QuickBuild | None:
    """Named agreements, nothing else: they may be kept from an earlier build."""
    if args.blank or args.shard is not None or args.changed_since is not None:
        return None
    from clausekit.publish.quick import QuickBuild, Request

    formats = _formats(args)
    output = _real_folder(args.output, args.root) if args.output else None
    request = Request(args.agreements, formats, output, args.force, args.wait)
    return QuickBuild.start(_root(args), request)


def _formats(args: argparse.Namespace) -> set[str]:
    formats = {f.strip() for f in args.to.split(",") if f.strip()}
    unknown = formats - set(FORMATS)
    if unknown or not formats:
        raise UsageError(
            f"--to: unknown format {', '.join(sorted(unknown)) or '(none)'}; "
            f"choose from {', '.join(FORMATS)}"
        )
    return formats


def _build(
    lib: Library, args: argparse.Namespace, out: TextIO, err: TextIO, quick: QuickBuild | None
) -> int:
    from clausekit.load import resolve_arg
    from clausekit.publish.build import build, default_outdir

    formats = _formats(args)
    agreements = [resolve_arg(lib, a, "agreements") for a in args.agreements]
    blanks = [resolve_arg(lib, t, "templates") for t in args.blank]
    if not agreements and not blanks:
        agreements, blanks = sorted(lib.agreements), sorted(lib.templates)
    if args.shard is not None:
        from clausekit.publish.selection import shard_ids

        agreements, blanks = shard_ids(args.shard, agreements, blanks)
    outdir = _real_folder(args.output or default_outdir(lib), lib.root)
    checked = _checked(lib)
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
    return _built(lib.root, report, out)


def _built(root: Path, report: BuildReport, out: TextIO) -> int:
    path = report.outdir.resolve()
    where = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
    print(f"{len(report.built)} written, {len(report.unchanged)} up to date in {where}", file=out)
    return 0
