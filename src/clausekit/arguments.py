"""The `clausekit` command line's arguments: every command, option and help text.

`cli.run` parses with `parser()` and dispatches; a bad command line raises
`UsageError` (exit 2) instead of argparse's own exit.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date
from pathlib import Path

from clausekit import __version__
from clausekit.errors import UsageError

FORMATS = ("md", "docx", "pdf", "html")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message}")


def parser(command: str | None = None) -> argparse.ArgumentParser:
    """The command line's parser; with a `command`, with that command's arguments
    alone (the others' take longer to set up than a build of a kept document takes to
    run): `cli.parse` reads a command line with it, and tells a bad one with the whole
    parser, so no message changes."""
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
    for name, add in _COMMANDS:
        if command in (None, name):
            add(sub)
    return p


def _check_parser(sub: argparse._SubParsersAction[_Parser]) -> None:
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


def _assemble_parser(sub: argparse._SubParsersAction[_Parser]) -> None:
    a = sub.add_parser(
        "assemble",
        help="print an agreement as numbered Markdown",
        description="Print the assembled Markdown of an agreement: numbers "
        "and references resolved, values filled in.",
    )
    a.add_argument("agreement", metavar="AGREEMENT", help="agreement id or path")


def _build_parser(sub: argparse._SubParsersAction[_Parser]) -> None:
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
    _output_option(b)
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


def _manifest_parser(sub: argparse._SubParsersAction[_Parser]) -> None:
    m = sub.add_parser(
        "manifest",
        help="print the joined manifest of output folders",
        description="Print (JSON) the manifests of the output folders DIR... joined into "
        "one: for the N shards of a build, the unsharded build's manifest.json.",
    )
    m.add_argument("folders", nargs="+", type=Path, metavar="DIR")


def _schema_parser(sub: argparse._SubParsersAction[_Parser]) -> None:
    s = sub.add_parser(
        "schema",
        help="print the JSON Schema of a template's agreements",
        description="Print the composed JSON Schema of TEMPLATE's agreements, "
        "for editors' autocompletion.",
    )
    s.add_argument("template", metavar="TEMPLATE", help="template id or path")


def _new_parser(sub: argparse._SubParsersAction[_Parser]) -> None:
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


def _init_parser(sub: argparse._SubParsersAction[_Parser]) -> None:
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


def _pages_parser(sub: argparse._SubParsersAction[_Parser]) -> None:
    p = sub.add_parser(
        "pages",
        help="write the library's site pages as Markdown files under docs/",
        description="Write the library's pages (clauses, templates, agreements, indexes, "
        "tags, downloads, previews) as Markdown files and assets under DIR/<prefix>/, "
        "for MkDocs or Zensical to build, with a nav fragment (.nav.yml) and a "
        ".gitignore listing them. Hand-written pages are never touched. Options not "
        "given come from the clausekit plugin's entry in mkdocs.yml.",
    )
    p.add_argument(
        "--out", type=Path, metavar="DIR", help="the docs folder (default: mkdocs.yml's docs_dir)"
    )
    p.add_argument(
        "--prefix",
        metavar="FOLDER",
        help="folder of the pages below DIR (default: library/ when DIR has its own "
        "index.md, else the top)",
    )
    p.add_argument(
        "--no-downloads",
        dest="downloads",
        action="store_false",
        default=None,
        help="no DOCX/PDF downloads (faster; the pages have no download links)",
    )
    p.add_argument(
        "--engine",
        choices=("mkdocs", "zensical"),
        default="mkdocs",
        help="the engine that will build the pages: their links are written the way it "
        "reads them (default: mkdocs)",
    )


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def _dates_parser(sub: argparse._SubParsersAction[_Parser]) -> None:
    d = sub.add_parser(
        "dates",
        help="list the key dates of agreements (term ends, payments, notices)",
        description="List, by date, the key dates (`key_dates:` of their templates) of "
        "final and executed agreements, with each date's reminders.",
    )
    d.add_argument(
        "--from",
        dest="start",
        type=_day,
        default=None,
        metavar="D",
        help="only dates on or after D (YYYY-MM-DD)",
    )
    d.add_argument(
        "--to",
        dest="end",
        type=_day,
        default=None,
        metavar="D",
        help="only dates on or before D (YYYY-MM-DD)",
    )
    d.add_argument("--drafts", action="store_true", help="list drafts' key dates too")
    d.add_argument(
        "--format",
        choices=("text", "json", "ics"),
        default="text",
        help="text (default), json, or an iCalendar file (ics)",
    )


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


def _lock_parser(sub: argparse._SubParsersAction[_Parser]) -> None:
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


def _diff_parser(sub: argparse._SubParsersAction[_Parser]) -> None:
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


def _redline_parser(sub: argparse._SubParsersAction[_Parser]) -> None:
    r = sub.add_parser(
        "redline",
        help="DOCX with tracked changes and HTML redline of an agreement",
        description="Write <id>.redline.docx (Word tracked changes) and <id>.redline.html "
        "between the agreement as assembled at --base and now, or (--standard) between "
        "its standard clauses and its own wording of them (its deviations).",
    )
    r.add_argument("agreement", metavar="AGREEMENT", help="agreement id or path")
    against = r.add_mutually_exclusive_group(required=True)
    against.add_argument("--base", metavar="REV", help="the git revision to compare with")
    against.add_argument(
        "--standard",
        action="store_true",
        help="compare with the agreement as the library's standard clauses word it",
    )
    r.add_argument(
        "--head", default=None, metavar="REV", help="compare this revision (default: work tree)"
    )
    _output_option(r)
    r.add_argument(
        "--author",
        default="clausekit",
        help="the author Word shows for the changes (default: clausekit)",
    )


def _receive_parser(sub: argparse._SubParsersAction[_Parser]) -> None:
    rc = sub.add_parser(
        "receive",
        help="report what the other side changed in a returned DOCX",
        description="Read the tracked changes, comments and untracked edits of a DOCX "
        "returned from Word, by clause, labelled against the clauses' playbooks.",
    )
    rc.add_argument("file", type=Path, metavar="FILE.docx", help="the returned document")
    rc.add_argument(
        "--agreement", default=None, metavar="ID", help="the agreement (default: the file's)"
    )
    rc.add_argument(
        "--format", choices=("text", "json"), default="text", help="text (default) or json"
    )
    rc.add_argument(
        "--apply",
        action="store_true",
        help="write the changed values, and the changed clauses as deviations, into the "
        "agreement's YAML (never into the library's clauses)",
    )
    rc.add_argument(
        "--accept-untracked",
        action="store_true",
        help="with --apply, also write the clauses changed without tracking",
    )


def _output_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "-o",
        "--output",
        type=Path,
        default=None,
        metavar="DIR",
        help="output folder (default: dist/ of the repository)",
    )


# In the order `clausekit --help` lists them.
_COMMANDS: tuple[tuple[str, Callable[[argparse._SubParsersAction[_Parser]], None]], ...] = (
    ("check", _check_parser),
    ("assemble", _assemble_parser),
    ("build", _build_parser),
    ("manifest", _manifest_parser),
    ("pages", _pages_parser),
    ("schema", _schema_parser),
    ("new", _new_parser),
    ("dates", _dates_parser),
    ("lock", _lock_parser),
    ("diff", _diff_parser),
    ("redline", _redline_parser),
    ("receive", _receive_parser),
    ("import", _import_parser),
    ("init", _init_parser),
)
COMMANDS = tuple(name for name, _ in _COMMANDS)
