#!/usr/bin/env python3
"""One agreement to DOCX as a user runs it: whole `clausekit build` processes, against
raw pandoc converting the same assembled Markdown (the floor).

Four cases, each on its own line with its ratio to the floor of the same run:

* edit loop: `clausekit build AGREEMENT` after one value of the agreement was
  edited, the library unchanged since the last build (what a lawyer does all day).
  Relies on the user cache: the schema files' meta-schema check, the template's
  and clauses' check results and their compiled bodies, kept by the digest of the
  files they come from, pandoc's version, kept by its binary, and the agreement's
  DOCX frame (made by the second of two earlier builds; the edited value is
  filled into it, so this build runs no Pandoc);
* cold: no cache at all (`CLAUSEKIT_CACHE_DIR=off`), as on a fresh CI runner;
* title edit: the same after the agreement's title was edited (the title is a mark of
  the frame, filled like a value; relies on the cache);
* identical re-run: the same build again, which renders the document kept by the
  earlier one (relies on the cache).

The runs alternate (floor, edit loop, cold, re-run, floor, …), so the ratios hold on
a busy machine too; each run writes a fresh DOCX to a new folder.  The library is
copied to a temporary folder, whose agreement is edited there.

Run: .venv/bin/python scripts/bench_one.py [AGREEMENT] [--runs N]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
LIBRARY = ("agreements", "clauses", "templates", "schema", "clausekit.yml")
# The first whole-number value of the agreement: the one the edit loop changes.
VALUE = re.compile(r"^(\s+[\w-]+: )(\d+)$", re.MULTILINE)
TARGETS = {
    "edit loop": "<= 2.5x, aim 2x",
    "title edit": "",
    "cold": "<= 3x",
    "identical re-run": "",
}
TITLE = re.compile(r"^title: (.*)$", re.MULTILINE)


def timed(cmd: list[str], env: dict[str, str], stdin: bytes | None = None) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, input=stdin, env=env, check=True, capture_output=True)
    return time.perf_counter() - started


def copy_library(dest: Path) -> Path:
    for name in LIBRARY:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, dest / name)
        elif (ROOT / name).is_file():
            shutil.copy2(ROOT / name, dest / name)
    return dest


def edit_value(agreement: Path) -> None:
    """Add 1 to the agreement's first whole-number value: each edit makes an agreement
    no earlier run has built, so no kept document of an earlier run can be rendered."""
    text = agreement.read_text("utf-8")
    found = VALUE.search(text)
    if found is None:
        sys.exit(f"{agreement}: no whole-number value to edit")
    number = int(found.group(2)) + 1
    agreement.write_text(text[: found.start(2)] + str(number) + text[found.end(2) :], "utf-8")


def edit_title(agreement: Path, run: int) -> None:
    """Give the agreement's title a new draft number (a title no earlier run saw)."""
    text = agreement.read_text("utf-8")
    found = TITLE.search(text)
    if found is None:
        sys.exit(f"{agreement}: no title to edit")
    title = found.group(1).split(" 第")[0] + f" 第{run + 1}稿"
    agreement.write_text(text[: found.start(1)] + title + text[found.end(1) :], "utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("agreement", nargs="?", default="mutual-nda/2026-shenzhen-hangzhou-final")
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    from clausekit.render.pandoc import INPUT_FORMAT, pandoc_path

    with tempfile.TemporaryDirectory(prefix="clausekit-bench-") as tmp_name:
        tmp = Path(tmp_name)
        lib = copy_library(tmp / "lib")
        agreement = lib / "agreements" / f"{args.agreement}.yaml"
        env = {**os.environ, "CLAUSEKIT_CACHE_DIR": str(tmp / "cache")}
        # As installed, modules are compiled once (a wheel compiles them at install):
        # an environment that forbids writing bytecode would time compiling each run.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        off = {**env, "CLAUSEKIT_CACHE_DIR": "off"}
        clausekit = [str(BIN / "clausekit"), "-C", str(lib)]
        assembled = subprocess.run(
            [*clausekit, "assemble", args.agreement], env=off, check=True, capture_output=True
        ).stdout
        raw = [str(pandoc_path()), "--sandbox", "-f", INPUT_FORMAT, "-t", "docx", "-o"]
        count = iter(range(10**6))

        def build(environment: dict[str, str]) -> float:
            out = str(tmp / f"out{next(count)}")  # a fresh folder: the DOCX is really written
            cmd = [*clausekit, "build", args.agreement, "--to", "docx", "-o", out]
            return timed(cmd, environment)

        # Earlier builds of the agreement: the library's results are kept, and the
        # second makes the agreement's DOCX frame (a text is framed once seen twice).
        build(env)
        build(env)
        times: dict[str, list[float]] = {"floor": [], **{case: [] for case in TARGETS}}
        for i in range(args.runs):
            times["floor"].append(timed([*raw, str(tmp / f"raw{i}.docx")], env, assembled))
            edit_value(agreement)
            times["edit loop"].append(build(env))
            edit_title(agreement, i)
            times["title edit"].append(build(env))
            times["cold"].append(build(off))
            times["identical re-run"].append(build(env))
    median = {case: statistics.median(t) * 1000 for case, t in times.items()}
    floor = median["floor"]
    print(f"one agreement to DOCX, whole processes, median of {args.runs} ({args.agreement})")
    print(f"floor: raw pandoc on the same Markdown: {floor:.0f} ms")
    notes = {
        "edit loop": "one value edited, library unchanged; uses the kept check results "
        "and the DOCX frame",
        "title edit": "the agreement's title edited; uses the same, the title filled into "
        "the frame",
        "cold": "CLAUSEKIT_CACHE_DIR=off",
        "identical re-run": "nothing changed; renders the kept document",
    }
    for case, target in TARGETS.items():
        ms = median[case]
        goal = f" (target {target})" if target else ""
        print(f"{case}: {ms:.0f} ms = {ms / floor:.2f}x the floor{goal} [{notes[case]}]")
    return 0


if __name__ == "__main__":
    sys.exit(main())
