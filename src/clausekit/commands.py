"""What each `clausekit` command does, once its command line is parsed
(`clausekit.cli.run` parses it and calls `dispatch`).

Heavy modules are imported inside the commands that use them.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from clausekit.building import (
    build_library,
    checked_of,
    library_root,
    named_agreements,
    named_build,
    quick_build,
    real_folder,
    told_built,
)
from clausekit.errors import ProblemsFound, UsageError, format_problems

if TYPE_CHECKING:
    from clausekit.load.model import Library


def _library(args: argparse.Namespace) -> Library:
    from clausekit.load import load_library, read_agreements

    root = library_root(args)
    named = named_agreements(root, args)
    if named is None:
        # `check` reads agreements itself, in parallel; other commands need them now.
        return load_library(root, agreements=args.command != "check")
    from clausekit.ids import id_for

    lib = load_library(root, agreements=False)  # listed (links confined), not read
    folder = root / "agreements"
    return read_agreements(
        lib, [p for p in lib.agreement_files if id_for(p, folder, ".yaml") in named]
    )


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
    quick = quick_build(args) if args.command == "build" else None
    if quick is not None:
        report = quick.run(err)
        if report is not None:  # every agreement was kept from an earlier build
            return told_built(quick.cache.root, report, out)
    if args.command == "build":
        built = named_build(args, out, err, quick)
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
        out.write(assemble_agreement(locked(checked_of(lib), aid), aid).markdown)
        return 0
    if args.command == "schema":
        import json

        from clausekit.load import resolve_arg

        template = lib.templates[resolve_arg(lib, args.template, "templates")]
        schema = checked_of(lib).composed_schema(template)
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
    return build_library(lib, args, out, err, quick)


def _pages(args: argparse.Namespace, out: TextIO) -> int:
    from clausekit.publish.pages import PagesRequest, write_site_pages

    root = library_root(args)
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

    root = library_root(args)
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
    checked = checked_of(lib)
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
    dues, problems = library_dates(checked_of(lib), args.drafts)
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
    outdir = real_folder(args.output or _default_outdir(lib), lib.root)
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
