"""The `clausekit` command line.

`run(argv, stdout, stderr) -> int` is the whole program, testable without a
subprocess; `main` only binds it to the real streams.  Error classes map to
exit codes (0 clean, 1 problems, 2 bad command line, 3 missing tool or
font), and no traceback reaches a user for bad input.  This module imports
nothing heavy (argparse and the commands are imported by `run`), so that
`clausekit --version` starts as fast as Python does.
"""

from __future__ import annotations

import gc
import os
import sys

from clausekit import __version__

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (7 ms)

if TYPE_CHECKING:
    import argparse
    from collections.abc import Sequence
    from typing import NoReturn, TextIO


def run(argv: list[str], stdout: TextIO, stderr: TextIO) -> int:
    if argv == ["--version"]:  # what argparse prints for it, without importing argparse
        print(f"clausekit {__version__}", file=stdout)
        return 0
    import contextlib

    from clausekit.commands import dispatch
    from clausekit.errors import ClausekitError, ProblemsFound, format_problems

    try:
        with contextlib.redirect_stdout(stdout):  # --help and --version print here
            args = parse(argv)
        return dispatch(args, stdout, stderr)
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


def parse(argv: Sequence[str]) -> argparse.Namespace:
    """`argv` parsed by the parser of the command it names; a bad command line raises
    `UsageError` with the whole parser's message (one command's parser would name only
    that command among the choices)."""
    from clausekit.arguments import parser
    from clausekit.errors import UsageError

    try:
        return parser(_named_command(argv)).parse_args(argv)
    except UsageError:
        return parser().parse_args(argv)


def _named_command(argv: Sequence[str]) -> str | None:
    """The command `argv` names, when only `-C DIR` (`-CDIR`, `--root DIR`,
    `--root=DIR`) comes before it; None otherwise (`--help`, an abbreviation, …)."""
    from clausekit.arguments import COMMANDS

    i = 0
    while i < len(argv):
        word = argv[i]
        if word in ("-C", "--root"):
            i += 2
        elif word.startswith(("-C", "--root=")) and word not in ("-C", "--root="):
            i += 1
        else:
            return word if word in COMMANDS else None
    return None


# How many new objects start a pass of the cyclic garbage collector (Python's default
# is 700).  A command is one short process whose imports create tens of thousands of
# objects that all live to its end: at 700, an edit-loop build spent about 10 ms in 49
# passes that freed nothing.  A pass every 100,000 objects still bounds what cycles
# can hold in a long `check` or batch build.
COLLECT_EVERY = 100_000


def main() -> None:
    gc.set_threshold(COLLECT_EVERY, *gc.get_threshold()[1:])
    try:
        code = run(sys.argv[1:], sys.stdout, sys.stderr)
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader went away (`clausekit … | head`): what was to be done is done, and
        # there is nobody left to tell. Point stdout at devnull so the interpreter's
        # final flush does not raise again (the pattern the Python docs give for SIGPIPE).
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        code = 141
    leave(code)


def leave(code: int) -> NoReturn:
    """Exit with `code` once the streams are flushed, without the interpreter's
    teardown: every file is written and closed, every child process waited for, and
    freeing some 250 modules one object at a time took 30-40 ms of a build that
    otherwise takes 400."""
    for stream in (sys.stdout, sys.stderr):
        # Not contextlib.suppress: `--version` leaves here too, and contextlib brings
        # ten modules (8 ms) that nothing else of it needs.
        try:  # noqa: SIM105
            stream.flush()
        except (BrokenPipeError, ValueError):
            pass  # a reader that is gone, or a stream already closed: nobody to tell
    os._exit(code)
