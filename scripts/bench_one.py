#!/usr/bin/env python3
"""One agreement to DOCX as a user runs it: the whole `clausekit build` process,
against raw pandoc converting the same assembled Markdown (the floor).

Both are timed as processes in the same run, alternating, so the ratio holds on a
busy machine too.  The first clausekit run fills the user cache, as any earlier
`build` of the agreement does: the check results and the assembled document, kept
under a digest of the files it is made from (`clausekit.publish.quick`).  The
figures are for the runs after it, each writing a fresh DOCX to a new folder, and
for runs with the cache turned off (the library read, checked and assembled).

Run: .venv/bin/python scripts/bench_one.py [AGREEMENT] [--runs N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def timed(cmd: list[str], env: dict[str, str], stdin: bytes | None = None) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, input=stdin, env=env, check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("agreement", nargs="?", default="mutual-nda/2026-shenzhen-hangzhou-final")
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    from clausekit.render.pandoc import INPUT_FORMAT, pandoc_path

    with tempfile.TemporaryDirectory(prefix="clausekit-bench-") as tmp:
        env = {**os.environ, "CLAUSEKIT_CACHE_DIR": str(Path(tmp) / "cache")}
        # As installed, modules are compiled once (a wheel compiles them at install):
        # an environment that forbids writing bytecode would time compiling each run.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        off = {**env, "CLAUSEKIT_CACHE_DIR": "off"}
        assembled = subprocess.run(
            [str(BIN / "clausekit"), "-C", str(ROOT), "assemble", args.agreement],
            env=env,
            check=True,
            capture_output=True,
        ).stdout
        raw = [str(pandoc_path()), "--sandbox", "-f", INPUT_FORMAT, "-t", "docx", "-o"]

        def ours(i: int, environment: dict[str, str]) -> float:
            out = str(Path(tmp) / f"out{i}")  # a fresh folder: the DOCX is really written
            cmd = [str(BIN / "clausekit"), "-C", str(ROOT), "build", args.agreement]
            return timed([*cmd, "--to", "docx", "-o", out], environment)

        ours(0, env)  # fills the cache, as an earlier build of the agreement does
        floor, warm, cold = [], [], []
        for i in range(args.runs):
            floor.append(timed([*raw, str(Path(tmp) / f"raw{i}.docx")], env, assembled))
            warm.append(ours(2 * i + 1, env))
            cold.append(ours(2 * i + 2, off))
    f, w, c = (statistics.median(x) * 1000 for x in (floor, warm, cold))
    print(f"one agreement to DOCX, whole process, median of {args.runs} ({args.agreement}):")
    print(f"  raw pandoc on the same Markdown: {f:6.0f} ms (the floor)")
    print(
        f"  clausekit build:                 {w:6.0f} ms = {w / f:.2f}x the floor (target <= 2.5x)"
    )
    print(f"  clausekit build, cache off:      {c:6.0f} ms = {c / f:.2f}x the floor")
    return 0


if __name__ == "__main__":
    sys.exit(main())
