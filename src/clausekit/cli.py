"""The `clausekit` command line.

`run(argv, stdout, stderr) -> int` is the whole program, testable without a
subprocess; `main` only binds it to the real streams.  Error classes map to
exit codes (0 clean, 1 problems, 2 bad command line, 3 missing tool or
font), and no traceback reaches a user for bad input.  Heavy modules are
imported inside the commands, so `clausekit --version` starts fast.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from clausekit import __version__
from clausekit.errors import ClausekitError, ProblemsFound, UsageError, format_problems

if TYPE_CHECKING:
    from clausekit.check import Checked
    from clausekit.load.model import Library

FORMATS = ("md", "docx", "pdf", "html")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message}")


def _parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="clausekit",
        description="Contracts as code: check, assemble and build "
        "agreements from a clause library in git.",
    )
    p.add_argument("--version", action="version", version=f"clausekit {__version__}")
    p.add_argument(
        "-C",
        "--root",
        type=Path,
        default=None,
        help="the library repository (default: found from the current folder)",
    )
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)

    c = sub.add_parser(
        "check",
        help="validate clauses, templates and agreements",
        description="Report every problem of the library (or of the given "
        "paths), one line each: PATH:LINE:COL: error[CODE]: MESSAGE.",
    )
    c.add_argument("paths", nargs="*", metavar="PATH", help="files or folders to report on")
    c.add_argument(
        "--format",
        choices=("text", "json", "github"),
        default="text",
        help="text (default), json, or GitHub Actions annotations",
    )
    c.add_argument(
        "--base",
        metavar="REV",
        default=None,
        help="also fail when a clause or template changed since git revision REV "
        "without a version bump and changelog entry",
    )

    a = sub.add_parser(
        "assemble",
        help="print an agreement as numbered Markdown",
        description="Print the assembled Markdown of an agreement: numbers "
        "and references resolved, values filled in.",
    )
    a.add_argument("agreement", metavar="AGREEMENT", help="agreement id or path")

    b = sub.add_parser(
        "build",
        help="write documents to dist/",
        description="Write each agreement as Markdown, DOCX, PDF or HTML. With "
        "no AGREEMENT and no --blank: every agreement and every blank form.",
    )
    b.add_argument("agreements", nargs="*", metavar="AGREEMENT", help="agreement ids or paths")
    b.add_argument(
        "--blank",
        action="append",
        default=[],
        metavar="TEMPLATE",
        help="also write the fillable form of TEMPLATE (repeatable)",
    )
    b.add_argument(
        "--to",
        default="md,docx,pdf",
        metavar="FORMATS",
        help="comma-separated formats: md, docx, pdf, html (default md,docx,pdf)",
    )
    b.add_argument(
        "-o",
        "--output",
        type=Path,
        default=None,
        metavar="DIR",
        help="output folder (default: dist/ of the repository)",
    )
    b.add_argument("--force", action="store_true", help="rebuild even when nothing changed")
    b.add_argument(
        "--shard",
        default=None,
        metavar="I/N",
        help="build only share I of N (a fixed, balanced split of the documents; "
        "join the N output folders with `clausekit manifest`)",
    )
    b.add_argument(
        "--changed-since",
        default=None,
        metavar="REV",
        help="build only documents whose text or rendering inputs differ from git revision REV",
    )
    b.add_argument(
        "--wait",
        action="store_true",
        help="when another build is writing the output folder, wait for it (default: exit 1)",
    )
    m = sub.add_parser(
        "manifest",
        help="print the joined manifest of output folders",
        description="Print (JSON) the manifests of the output folders DIR... joined into "
        "one: for the N shards of a build, the unsharded build's manifest.json.",
    )
    m.add_argument("folders", nargs="+", type=Path, metavar="DIR")

    s = sub.add_parser(
        "schema",
        help="print the JSON Schema of a template's agreements",
        description="Print the composed JSON Schema of TEMPLATE's agreements, "
        "for editors' autocompletion.",
    )
    s.add_argument("template", metavar="TEMPLATE", help="template id or path")

    n = sub.add_parser(
        "new",
        help="scaffold a clause or an agreement",
        description="Create a valid new file to start from.",
    )
    nsub = n.add_subparsers(dest="kind", required=True, parser_class=_Parser)
    nc = nsub.add_parser("clause", help="a new clause file", description="Create clauses/ID.md.")
    nc.add_argument("id", metavar="ID")
    nc.add_argument("--lang", default=None, help="language (default from clausekit.yml)")
    na = nsub.add_parser(
        "agreement",
        help="a new agreement file",
        description="Create agreements/NAME.yaml for a template, listing "
        "every variable to fill in.",
    )
    na.add_argument("name", metavar="NAME")
    na.add_argument("--template", required=True, metavar="TEMPLATE")
    _review_parsers(sub)
    _import_parser(sub)
    i = sub.add_parser(
        "init",
        help="start a new clause-library repository",
        description="Create a clause-library repository in DIR: clausekit.yml, clauses/, "
        "templates/, agreements/, the site (mkdocs.yml, docs/index.md), GitHub workflows, "
        "pre-commit hooks, .gitignore and a README; git init when DIR is not in a git "
        "repository. Never overwrites a file.",
    )
    i.add_argument("dir", nargs="?", default=".", metavar="DIR", help="default: this folder")
    i.add_argument(
        "--lang",
        choices=("zh-CN", "en"),
        default="zh-CN",
        help="language of the example content, README and site (default zh-CN)",
    )
    i.add_argument(
        "--bare",
        action="store_true",
        help="leave out the example clause, template and draft agreement",
    )
    return p


def _import_parser(sub: argparse._SubParsersAction[_Parser]) -> None:
    i = sub.add_parser(
        "import",
        help="import a contract (.docx, .md, .txt) as a template, clauses and a draft",
        description="Write a template, one clause per numbered article and a draft "
        "agreement from an existing contract; print what needs review as FILE:LINE: lines.",
    )
    i.add_argument("file", metavar="FILE", help="the contract: .docx, .md or .txt")
    i.add_argument(
        "--template", default=None, metavar="ID", help="template id (default: from FILE)"
    )
    i.add_argument("--prefix", default=None, metavar="PATH", help="clause folder (default: ID)")
    i.add_argument("--lang", default=None, metavar="L", help="language (default: detected)")
    i.add_argument("--dry-run", action="store_true", help="print the plan, write nothing")


def _review_parsers(sub: argparse._SubParsersAction[_Parser]) -> None:
    lk = sub.add_parser(
        "lock",
        help="lock agreements to their template and clause versions",
        description="Write agreements/<id>.lock.json: the template and clause versions "
        "(with sha256) an agreement is built from from now on. With no AGREEMENT: every "
        "executed agreement that has no lock yet.",
    )
    lk.add_argument("agreements", nargs="*", metavar="AGREEMENT", help="agreement ids or paths")
    lk.add_argument(
        "--update",
        action="store_true",
        help="move an existing lock to the current versions (by default a lock keeps its "
        "versions and only records the agreement's own changes)",
    )
    d = sub.add_parser(
        "diff",
        help="the review report of changes since a git revision",
        description="Print every clause and template changed since --base, with version "
        "changes and word-level diffs, and every template and agreement affected.",
    )
    d.add_argument("--base", required=True, metavar="REV", help="the git revision to compare with")
    d.add_argument(
        "--head", default=None, metavar="REV", help="compare this revision (default: work tree)"
    )
    d.add_argument(
        "--format",
        choices=("md", "json"),
        default="md",
        help="md (default; for a pull-request comment) or json",
    )
    r = sub.add_parser(
        "redline",
        help="DOCX with tracked changes and HTML redline of an agreement",
        description="Write <id>.redline.docx (Word tracked changes) and <id>.redline.html "
        "between the agreement as assembled at --base and now.",
    )
    r.add_argument("agreement", metavar="AGREEMENT", help="agreement id or path")
    r.add_argument("--base", required=True, metavar="REV", help="the git revision to compare with")
    r.add_argument(
        "--head", default=None, metavar="REV", help="compare this revision (default: work tree)"
    )
    r.add_argument(
        "-o",
        "--output",
        type=Path,
        default=None,
        metavar="DIR",
        help="output folder (default: dist/ of the repository)",
    )
    r.add_argument(
        "--author",
        default="clausekit",
        help="the author Word shows for the changes (default: clausekit)",
    )


def run(argv: list[str], stdout: TextIO, stderr: TextIO) -> int:
    try:
        with contextlib.redirect_stdout(stdout):  # --help and --version print here
            args = _parser().parse_args(argv)
        return _dispatch(args, stdout, stderr)
    except SystemExit as exc:  # --help and --version
        return int(exc.code or 0)
    except ProblemsFound as exc:
        print(format_problems(exc.problems, "text"), file=stderr)
        return exc.exit_code
    except ClausekitError as exc:
        print(f"clausekit: error: {exc}", file=stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("clausekit: interrupted", file=stderr)
        return 130


def _checked(lib: Library) -> Checked:
    from clausekit.check import Checked

    return Checked(lib)


def _library(args: argparse.Namespace) -> Library:
    from clausekit.load import find_root, load_library

    root = find_root(args.root, search_up=False) if args.root else find_root(Path.cwd())
    # `check` reads agreements itself, in parallel; other commands need them now.
    return load_library(root, agreements=args.command != "check")


def _dispatch(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    if args.command == "import":
        return _cmd_import(args, out)
    if args.command == "init":  # the one command that needs no library yet
        return _init(args, out)
    if args.command == "manifest":  # needs output folders, not a library
        from clausekit.publish.selection import join_manifests, manifest_text

        out.write(manifest_text(join_manifests(args.folders)))
        return 0
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
    return _build(lib, args, out, err)


def _cmd_import(args: argparse.Namespace, out: TextIO) -> int:
    from .importer import import_contract
    from .load import find_root

    root = find_root(args.root, search_up=False) if args.root else find_root(Path.cwd())
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
    notes = []
    if args.format == "json":
        from clausekit.publish.verify import left_out_notes

        notes = [n for n in left_out_notes(checked) if _wanted(lib, args, n.path)]
    print(format_problems(problems, args.format, result.files_read, notes), file=out)
    return 1 if problems else 0


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
    outdir = args.output or _default_outdir(lib)
    aid = resolve_arg(lib, args.agreement, "agreements")
    return commands.redline(lib, aid, args.base, args.head, outdir, args.author, out)


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


def _build(lib: Library, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from clausekit.load import resolve_arg
    from clausekit.publish.build import build, default_outdir

    formats = {f.strip() for f in args.to.split(",") if f.strip()}
    unknown = formats - set(FORMATS)
    if unknown or not formats:
        raise UsageError(
            f"--to: unknown format {', '.join(sorted(unknown)) or '(none)'}; "
            f"choose from {', '.join(FORMATS)}"
        )
    agreements = [resolve_arg(lib, a, "agreements") for a in args.agreements]
    blanks = [resolve_arg(lib, t, "templates") for t in args.blank]
    if not agreements and not blanks:
        agreements, blanks = sorted(lib.agreements), sorted(lib.templates)
    if args.shard is not None:
        from clausekit.publish.selection import shard_ids

        agreements, blanks = shard_ids(args.shard, agreements, blanks)
    outdir = args.output or default_outdir(lib)
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
    where = _shown(lib, report.outdir)
    print(f"{len(report.built)} written, {len(report.unchanged)} up to date in {where}", file=out)
    return 0


def _shown(lib: Library, path: Path) -> str:
    path = path.resolve()
    return path.relative_to(lib.root).as_posix() if path.is_relative_to(lib.root) else str(path)


def main() -> None:
    sys.exit(run(sys.argv[1:], sys.stdout, sys.stderr))
