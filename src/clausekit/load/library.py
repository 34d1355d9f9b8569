"""Reading a library repository into an immutable `Library` (`load_library`)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from datetime import date
from pathlib import Path
from typing import TypeVar

from clausekit.errors import Problem, ProblemsFound, UsageError
from clausekit.ids import id_for, is_valid_id, why_invalid
from clausekit.load.files import inside, library_files, read_inside
from clausekit.load.kept import KeptParses
from clausekit.load.model import Agreement, Clause, Library, Settings, Source, Template
from clausekit.load.yamlpos import Located, YamlError, load_yaml, split_front_matter

T = TypeVar("T")


class _Reader:
    """What one pass over files collects; frozen into a `Library` at the end.  (A plain
    class: a dataclass costs every command 1 ms to create, `load.model` says why.)"""

    def __init__(self, root: Path, settings: Settings, kept: KeptParses | None = None) -> None:
        self.root = root
        self.settings = settings
        self.clauses: dict[str, Clause] = {}
        self.templates: dict[str, Template] = {}
        self.agreements: dict[str, Agreement] = {}
        self.problems: list[Problem] = []
        self.files_read = 0
        self.kept = kept  # clauses' and templates' parses kept by earlier runs

    def parse(self, text: str, line_offset: int = 0) -> Located:
        """A clause's front matter or a template, parsed (or read back from `kept`)."""
        if self.kept is None:
            return load_yaml(text, line_offset)
        return self.kept.load_yaml(text, line_offset)


def load_library(root: Path, agreements: bool = True) -> Library:
    """Read every clause, template and agreement below `root`.

    With `agreements=False` the agreement files are only listed, for `check` to
    read them in parallel workers (`read_agreements`).
    """
    reader = _Reader(root, _settings(root))
    clauses, templates, files = (
        _listed(reader, folder, suffix)
        for folder, suffix in (("clauses", ".md"), ("templates", ".yaml"), ("agreements", ".yaml"))
    )
    for path in clauses:
        _load_clause(reader, path)
    for path in templates:
        _load_yaml_file(reader, path, "templates")
    if agreements:
        for path in files:
            _load_yaml_file(reader, path, "agreements")
    return Library(
        root=root,
        settings=reader.settings,
        clauses=reader.clauses,
        templates=reader.templates,
        agreements=reader.agreements,
        agreement_files=files,
        problems=tuple(reader.problems),
        files_read=reader.files_read,
    )


def load_named(
    root: Path,
    agreement_ids: Collection[str],
    clauses: Iterable[str] = (),
    templates: Iterable[str] = (),
    kept: KeptParses | None = None,
) -> Library | None:
    """The library as `build AGREEMENT…` needs it: the named agreements, their
    templates (and `templates`), and of the clauses only those the templates and the
    agreements' deviations name (and `clauses`), with the clauses those name
    (`alternatives`, the clause a translation `translates`) and every clause that may
    translate one.  None when a named agreement or its template is not found
    (`load_library` tells why).

    What each of these files reads as, and whether a clause or template exists, is
    what `load_library` gives; only a question about the library as a whole (a `did
    you mean` among all ids) differs, and that is asked for a problem alone: a build
    that finds one tells it with the whole library.  `kept` gives the parses of
    clauses and templates that earlier runs read.
    """
    reader = _Reader(root, _settings(root))
    clause_files, template_files = (
        _listed(reader, folder, suffix)
        for folder, suffix in (("clauses", ".md"), ("templates", ".yaml"))
    )
    # The named agreements' own files, not a listing of agreements/: in a library of
    # 10,000 agreements, listing and naming them all took longer than the build.
    files = tuple(root / "agreements" / f"{aid}.yaml" for aid in agreement_ids)
    if not all(path.is_file() and inside(root, path) for path in files):
        return None  # a link leading outside, say: told as the whole library tells it
    agreements = _Reader(root, reader.settings)
    for path in files:
        _load_yaml_file(agreements, path, "agreements")
    named = [agreements.agreements.get(aid) for aid in agreement_ids]
    wanted = {*templates, *(a.template_id for a in named if a is not None)}
    read = _Reader(root, reader.settings, kept=kept)
    for path in template_files:
        if id_for(path, root / "templates", ".yaml") in wanted:
            _load_yaml_file(read, path, "templates")
    used = set(clauses)
    for agreement in named:
        template = read.templates.get(agreement.template_id) if agreement else None
        if agreement is None or template is None:
            return None
        used.update(e.clause for e in template.outline.clause_entries() if e.clause)
        used.update(agreement.deviations)
    ids = _ids(root, clause_files)
    _read_clauses(read, dict(zip(ids, clause_files, strict=True)), used)
    # The files (and their problems) in the order `load_library` reads them, which
    # decides, say, which of two translations into one language `translations` gives.
    order = {f"clauses/{cid}.md": i for i, cid in enumerate(ids)}
    problems = sorted(read.problems, key=lambda p: order.get(p.path, len(order)))
    return Library(
        root=root,
        settings=reader.settings,
        clauses={c: read.clauses[c] for c in ids if c in read.clauses},
        templates=read.templates,
        agreements=agreements.agreements,
        agreement_files=files,
        problems=(*reader.problems, *problems, *agreements.problems),
        files_read=read.files_read + agreements.files_read,
    )


def _ids(root: Path, clause_files: Iterable[Path]) -> list[str]:
    folder = root / "clauses"
    return [id_for(path, folder, ".md") for path in clause_files]


def _read_clauses(reader: _Reader, by_id: dict[str, Path], wanted: set[str]) -> None:
    """Read the `wanted` clauses, the clauses they name, and every clause that may
    translate one of them, with the clauses those name.

    A file can translate clause X only if it holds the word `translates` and X (YAML
    folds a scalar written over two lines with a space, which no id holds), or a
    backslash (an escape could spell either): the others are not parsed."""
    maybe: dict[str, bytes | None] = {}  # the files that may translate a clause
    for cid, path in by_id.items():
        try:
            data: bytes | None = path.read_bytes()
        except OSError:
            data = None  # read when wanted, which tells the problem
        if data is None or b"translates" in data or b"\\" in data:
            maybe[cid] = data
    read: set[str] = set()

    def clause(cid: str) -> Clause | None:
        if cid not in read and cid in by_id:
            read.add(cid)
            _load_clause(reader, by_id[cid])
        return reader.clauses.get(cid)

    done: set[str] = set()
    while todo := sorted(wanted - done):
        for cid in todo:
            done.add(cid)
            found = clause(cid)
            if found is not None:
                named = found.data.get("alternatives")
                if isinstance(named, list):
                    wanted.update(a for a in named if isinstance(a, str))
                if found.translates is not None:
                    wanted.add(found.translates[0])
            text = cid.encode("utf-8")
            for other, data in maybe.items():
                if other not in read and (data is None or text in data or b"\\" in data):
                    clause(other)
        # A translation of a wanted clause is wanted (a bilingual template prints it).
        for other in read - wanted:
            found = reader.clauses.get(other)
            if found is not None and found.translates and found.translates[0] in wanted:
                wanted.add(other)


def _listed(reader: _Reader, folder: str, suffix: str) -> tuple[Path, ...]:
    # Links leading outside the repository are reported and never opened.
    files, problems = library_files(reader.root, folder, suffix)
    reader.problems.extend(problems)
    return tuple(files)


def read_agreements(lib: Library, paths: Iterable[Path]) -> Library:
    """`lib` with the agreement files at `paths` read too (their problems added)."""
    reader = _Reader(lib.root, lib.settings)
    for path in paths:
        _load_yaml_file(reader, path, "agreements")
    return lib._replace(
        agreements={**lib.agreements, **reader.agreements},
        problems=(*lib.problems, *reader.problems),
        files_read=lib.files_read + reader.files_read,
    )


def _settings(root: Path) -> Settings:
    path = root / "clausekit.yml"
    if not path.is_file():
        return Settings()
    try:
        located = load_yaml(path.read_text(encoding="utf-8"))
    except YamlError as exc:
        p = exc.problem
        raise UsageError(f"clausekit.yml:{p.line}:{p.col}: {p.message}") from exc
    data = located.value or {}
    if not isinstance(data, dict):
        raise UsageError("clausekit.yml:1:1: settings must be a mapping")
    return Settings(
        lang=str(data.get("lang", "zh-CN")),
        output=str(data.get("output", "dist")),
        fonts={str(k): str(v) for k, v in (data.get("fonts") or {}).items()},
        holidays=_holidays(root, located) if "calendar" in data else frozenset(),
    )


def _holidays(root: Path, settings: Located) -> frozenset[date]:
    """The dates of the `calendar:` file (a YAML list of ISO dates), read inside the
    repository only; a problem with it stops every command, as a problem of the file."""
    name = settings.value["calendar"]
    if not isinstance(name, str) or not name:
        where = settings.pos(("calendar",))
        raise ProblemsFound(
            [
                Problem.at(
                    "clausekit.yml", where, "calendar", "calendar: the path of a file of dates"
                )
            ]
        )
    try:
        doc = load_yaml(read_inside(root, root / name))
    except YamlError as exc:
        raise ProblemsFound([Problem.at(name, exc.problem, "yaml", exc.problem.message)]) from exc
    except (OSError, UnicodeDecodeError) as exc:
        where = settings.pos(("calendar",))
        message = f"calendar: cannot read {name}: {exc}"
        raise ProblemsFound([Problem.at("clausekit.yml", where, "calendar", message)]) from exc
    if not isinstance(doc.value, list):
        message = "a calendar is a list of dates (- 2027-01-01)"
        raise ProblemsFound([Problem(name, 1, 1, "calendar", message)])
    found: set[date] = set()
    problems = []
    for i, item in enumerate(doc.value):
        try:
            found.add(date.fromisoformat(str(item)))
        except ValueError:
            message = f"{item!r} is not a date (YYYY-MM-DD)"
            problems.append(Problem.at(name, doc.pos((i,)), "calendar", message))
    if problems:
        raise ProblemsFound(problems)
    return frozenset(found)


def _read(reader: _Reader, path: Path) -> Source | None:
    rel = path.relative_to(reader.root).as_posix()
    reader.files_read += 1
    try:
        # utf-8-sig: a byte-order mark (Windows Notepad writes one) is not text.
        return Source(rel, path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError as exc:
        reader.problems.append(Problem(rel, 1, 1, "encoding", _not_utf8(path, rel, exc)))
    except OSError as exc:
        reader.problems.append(Problem(rel, 1, 1, "io", f"cannot read file: {exc.strerror}"))
    return None


def _not_utf8(path: Path, rel: str, exc: UnicodeDecodeError) -> str:
    try:
        path.read_bytes().decode("gb18030")
    except (UnicodeDecodeError, OSError):
        return f"not UTF-8 text: {exc.reason}"
    return (
        f"not UTF-8 text: the file looks GB18030-encoded; convert it with: "
        f"iconv -f GB18030 -t UTF-8 {rel} -o {rel}.utf8 && mv {rel}.utf8 {rel}"
    )


def _checked_id(reader: _Reader, path: Path, folder: str, suffix: str) -> str | None:
    ident = id_for(path, reader.root / folder, suffix)
    if is_valid_id(ident):
        return ident
    rel = path.relative_to(reader.root).as_posix()
    reader.problems.append(Problem(rel, 1, 1, "id", why_invalid(ident)))
    return None


def _yaml_problem(reader: _Reader, source: Source, exc: YamlError) -> None:
    reader.problems.append(Problem.at(source.path, exc.problem, "yaml", exc.problem.message))


def _parsed(
    reader: _Reader, path: Path, folder: str, suffix: str, parse: Callable[[str], T]
) -> tuple[Source, str, T] | None:
    """The file's source, id and parse; None (its problem recorded) when one fails."""
    source = _read(reader, path)
    ident = _checked_id(reader, path, folder, suffix)
    if source is None or ident is None:
        return None
    try:
        return source, ident, parse(source.text)
    except YamlError as exc:
        _yaml_problem(reader, source, exc)
        return None


def _load_clause(reader: _Reader, path: Path) -> None:
    parsed = _parsed(
        reader, path, "clauses", ".md", lambda text: split_front_matter(text, reader.parse)
    )
    if parsed is None:
        return
    source, ident, doc = parsed
    if doc is None:
        reader.problems.append(
            Problem(
                source.path,
                1,
                1,
                "front-matter",
                "a clause starts with YAML front matter between two '---' lines",
            )
        )
        return
    reader.clauses[ident] = Clause(ident, source, doc.meta, doc.body, doc.body_line)


def _load_yaml_file(reader: _Reader, path: Path, folder: str) -> None:
    parse = reader.parse if folder == "templates" else load_yaml  # agreements change
    parsed = _parsed(reader, path, folder, ".yaml", parse)
    if parsed is None:
        return
    source, ident, doc = parsed
    if folder == "templates":
        reader.templates[ident] = Template(ident, source, doc, reader.settings.lang)
    else:
        reader.agreements[ident] = Agreement(ident, source, doc)


def resolve_arg(lib: Library, arg: str, kind: str) -> str:
    """An AGREEMENT or TEMPLATE argument (an id or a path) as an id."""
    table = lib.agreements if kind == "agreements" else lib.templates
    if arg in table:
        return arg
    p = Path(arg)
    candidate = (Path.cwd() / p).resolve() if not p.is_absolute() else p.resolve()
    folder = (lib.root / kind).resolve()
    ident = arg
    if candidate.suffix == ".yaml" and candidate.is_relative_to(folder):
        ident = id_for(candidate, folder, ".yaml")
        if ident in table:
            return ident
    # A file that is there but could not be read (bad YAML, say): its problems, as
    # `check` tells them, rather than "no agreement".
    found = lib.problems_of(f"{kind}/{ident}.yaml")
    if found:
        raise ProblemsFound(found)
    singular = kind[:-1]
    if not is_valid_id(arg) and not arg.endswith(".yaml"):
        raise UsageError(why_invalid(arg))
    known = ", ".join(sorted(table)[:10]) or "none"
    raise UsageError(f"no {singular} {arg!r} in {lib.root} (known: {known})")
