#!/usr/bin/env python3
"""Fuzz `clausekit check` longer than the suite does: mutated real library files.

    .venv/bin/python scripts/fuzz.py [--examples 2000] [--seed N]

Each example mutates one file of a copy of the example library (truncation, inserted
bytes, invalid UTF-8, duplicated or deleted lines, stray YAML and Jinja markers, or
several at once) and runs `clausekit check` in-process. A failure is an exit code other
than 0 or 1, an exception escaping the command (the traceback a user would see), or
an example slower than --timeout seconds; hypothesis shrinks it and prints it.
"""

from __future__ import annotations

import argparse
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import seed as hseed  # noqa: E402

from fuzz_mutations import Mutation, check, library_files, mutations  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=int(time.time()))
    parser.add_argument("--timeout", type=float, default=30.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="clausekit-fuzz-") as tmp:
        root = Path(tmp)
        for name in ("clauses", "templates", "agreements"):
            shutil.copytree(REPO / name, root / name)
        files = library_files(root)

        def alarm(_signum: int, _frame: object) -> None:
            raise TimeoutError(f"check took longer than {args.timeout} s")

        signal.signal(signal.SIGALRM, alarm)

        @hseed(args.seed)
        @settings(
            max_examples=args.examples,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
        )
        @given(mutation=mutations(root, files))
        def fuzz(mutation: Mutation) -> None:
            signal.setitimer(signal.ITIMER_REAL, args.timeout)
            try:
                outcome = check(root, mutation)
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
            assert outcome.code in (0, 1), (outcome.code, outcome.err[-2000:])

        started = time.perf_counter()
        fuzz()
        print(
            f"fuzz: {args.examples} examples (seed {args.seed}) in "
            f"{time.perf_counter() - started:.0f} s: check exited 0 or 1 every time, "
            "no traceback"
        )


if __name__ == "__main__":
    main()
