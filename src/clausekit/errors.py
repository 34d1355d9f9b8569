"""The error hierarchy and the `Problem` record every stage reports.

Bad input is never an exception that escapes to the user: stages *yield*
`Problem`s (like jsonschema's `iter_errors`) so that `clausekit check` can
report every mistake in one run.  Exceptions are for the cases where a
command cannot go on; each class knows its exit code, and `cli.run` maps
them, so no traceback reaches a user.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:  # a Protocol costs every command a millisecond to create
    from typing import Protocol

    class Position(Protocol):
        """Anything with a 1-based line and column (`yamlpos.Pos`, a Jinja use)."""

        @property
        def line(self) -> int: ...

        @property
        def col(self) -> int: ...


class Problem(NamedTuple):
    """One problem in one place: `PATH:LINE:COL: error[CODE]: MESSAGE`.

    `path` is relative to the repository; `line` and `col` are 1-based and
    point at the offending value in the YAML or Markdown source.
    """

    path: str
    line: int
    col: int
    code: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: error[{self.code}]: {self.message}"

    @classmethod
    def at(cls, path: str, pos: Position, code: str, message: str) -> Problem:
        """A problem at a position of `path` (a `Pos` from the YAML, a use in a body)."""
        return cls(path, pos.line, pos.col, code, message)


class ClausekitError(Exception):
    """Root of clausekit's errors; `exit_code` is what the CLI returns."""

    exit_code = 1


class ProblemsFound(ClausekitError):
    """Input files have problems; carries all of them."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class UsageError(ClausekitError):
    """A bad command line (unknown id, bad option value)."""

    exit_code = 2


class ToolMissing(ClausekitError):
    """A needed program or font is missing; the message says how to install it."""

    exit_code = 3


class BuildError(ClausekitError):
    """A document could not be produced (pandoc or typst failed)."""


def summary(problems: Sequence[Problem], files_checked: int | None = None) -> str:
    n = len(problems)
    files = {p.path for p in problems}
    checked = f" in {files_checked} files checked" if files_checked is not None else ""
    if n == 0:
        return f"no problems found{checked}"
    noun = "problem" if n == 1 else "problems"
    return f"{n} {noun} in {len(files)} file{'s' if len(files) != 1 else ''}{checked}"


def format_problems(
    problems: Iterable[Problem],
    fmt: str,
    files_checked: int | None = None,
    notes: Sequence[Problem] = (),
) -> str:
    """Render problems as `text` (one line each plus a summary), `json` or `github`.

    `notes` are not problems (a value that changes nothing, markup that prints as
    typed): `json` lists them, `text` prints them as `note[CODE]` lines.
    """
    items = sorted(problems)
    if fmt == "json":
        return json.dumps(
            {
                "problems": [p._asdict() for p in items],
                "notes": [p._asdict() for p in notes],
                "summary": summary(items, files_checked),
            },
            ensure_ascii=False,
            indent=2,
        )
    if fmt == "github":
        lines = [
            f"::error file={p.path},line={p.line},col={p.col},title={p.code}::"
            + _gh_escape(p.message)
            for p in items
        ]
        return "\n".join([*lines, summary(items, files_checked)])
    shown = [f"{n.path}:{n.line}:{n.col}: note[{n.code}]: {n.message}" for n in notes]
    return "\n".join([*(str(p) for p in items), *shown, summary(items, files_checked)])


def _gh_escape(text: str) -> str:
    # GitHub workflow commands need these escaped or the annotation is cut.
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
